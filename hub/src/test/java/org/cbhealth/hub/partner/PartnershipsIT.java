package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.cbhealth.hub.support.DirectoryFixtures;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.junit.jupiter.api.Test;

/**
 * Partnerships in the running hub's directory: partners whose files list each other in {@code referralPartners}
 * get an OrganizationAffiliation in each direction, which staff find by organization with the partner included;
 * a partnership that a file no longer lists is ended, not deleted, and an unchanged one is not written again.
 */
class PartnershipsIT extends HubIntegrationTest {

    private static final Duration RELOAD = Duration.ofSeconds(30);

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String a = "it-aff-a-" + suffix;
    private final String b = "it-aff-b-" + suffix;
    private final String c = "it-aff-c-" + suffix;

    @Test
    void partnersListingEachOtherArePublishedAsPartnershipsThatEndWhenAFileDropsThem() throws Exception {
        writePartner(c, a);
        writePartner(b, a);
        writePartner(a, b);
        await().atMost(RELOAD).until(() -> affiliation(a + "/" + b) != null && affiliation(b + "/" + a) != null);
        String orgA = organizationOf(a);
        String orgB = organizationOf(b);
        String orgC = organizationOf(c);
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        Bundle partnersOfA = fhirClient()
                .search()
                .byUrl("OrganizationAffiliation?primary-organization=" + orgA
                        + "&_include=OrganizationAffiliation:participating-organization")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(partnersOfA.getEntry()).hasSize(2);
        OrganizationAffiliation ab = (OrganizationAffiliation) match(partnersOfA);
        assertThat(ab.getIdentifierFirstRep().getSystem()).isEqualTo(CbhCanonical.SID_PARTNERSHIP);
        assertThat(ab.getIdentifierFirstRep().getValue()).isEqualTo(a + "/" + b);
        assertThat(ab.getActive()).isTrue();
        assertThat(ab.getPeriod().getStartElement().getValueAsString()).isEqualTo(today);
        assertThat(ab.getOrganization().getReference()).isEqualTo(orgA);
        assertThat(ab.getParticipatingOrganization().getReference()).isEqualTo(orgB);
        assertThat(ab.getCodeFirstRep().getCodingFirstRep().getSystem()).isEqualTo(CbhCanonical.CS_PARTNERSHIP);
        assertThat(ab.getCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("cross-border-referral");
        Organization included = (Organization) partnersOfA.getEntry().stream()
                .filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE)
                .findFirst()
                .orElseThrow()
                .getResource();
        assertThat(included.getIdElement().toUnqualifiedVersionless().getValue())
                .isEqualTo(orgB);
        assertThat(included.getName()).isEqualTo("Test hospital " + b);
        assertThat(affiliation(b + "/" + a).getOrganization().getReference()).isEqualTo(orgB);
        assertThat(affiliation(b + "/" + a).getParticipatingOrganization().getReference())
                .isEqualTo(orgA);

        // a also lists c, which lists a: a second partnership; the first one is not written again
        writePartner(a, b, c);
        await().atMost(RELOAD).until(() -> affiliation(a + "/" + c) != null && affiliation(c + "/" + a) != null);
        assertThat(affiliation(a + "/" + b).getMeta().getVersionId()).isEqualTo("1");
        assertThat(affiliation(c + "/" + a).getOrganization().getReference()).isEqualTo(orgC);

        // a no longer lists b: a–b ends in both directions, a–c goes on
        writePartner(a, c);
        await().atMost(RELOAD)
                .until(() -> !affiliation(a + "/" + b).getActive()
                        && !affiliation(b + "/" + a).getActive());
        assertThat(affiliation(a + "/" + b).getPeriod().getEndElement().getValueAsString())
                .isEqualTo(today);
        assertThat(affiliation(a + "/" + b).getPeriod().getStartElement().getValueAsString())
                .isEqualTo(today);
        List<String> activePartnersOfA = fhirClient()
                .search()
                .byUrl("OrganizationAffiliation?primary-organization=" + orgA + "&active=true")
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .stream()
                .map(e -> ((OrganizationAffiliation) e.getResource())
                        .getIdentifierFirstRep()
                        .getValue())
                .toList();
        assertThat(activePartnersOfA).containsExactly(a + "/" + c);
        assertThat(affiliation(c + "/" + a).getActive()).isTrue();
    }

    private void writePartner(String id, String... referralPartners) throws Exception {
        PartnerFiles.write(
                PARTNERS_DIR,
                id + ".yaml",
                PartnerFiles.partner(id, "referralPartners: [" + String.join(", ", referralPartners) + "]\n"));
    }

    /** The partnership with this identifier value, or null. */
    private OrganizationAffiliation affiliation(String value) {
        Bundle found = fhirClient()
                .search()
                .forResource(OrganizationAffiliation.class)
                .where(OrganizationAffiliation.IDENTIFIER
                        .exactly()
                        .systemAndIdentifier(CbhCanonical.SID_PARTNERSHIP, value))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry()).hasSizeLessThanOrEqualTo(1);
        return found.hasEntry()
                ? (OrganizationAffiliation) found.getEntryFirstRep().getResource()
                : null;
    }

    /** {@code Organization/<id>} of a partner's published Organization. */
    private String organizationOf(String partnerId) {
        IGenericClient client = fhirClient();
        Bundle found = client.search()
                .forResource(Organization.class)
                .where(Organization.IDENTIFIER
                        .exactly()
                        .systemAndIdentifier(DirectoryFixtures.TEST_REGISTRY, partnerId))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry()).hasSize(1);
        return found.getEntryFirstRep()
                .getResource()
                .getIdElement()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private static org.hl7.fhir.r4.model.Resource match(Bundle bundle) {
        return bundle.getEntry().stream()
                .filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                .findFirst()
                .orElseThrow()
                .getResource();
    }
}
