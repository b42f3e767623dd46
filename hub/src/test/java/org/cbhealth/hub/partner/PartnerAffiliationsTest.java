package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.cbhealth.hub.partner.PartnerAffiliations.Partnership;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class PartnerAffiliationsTest {

    @Test
    void shouldPairPartnersThatListEachOtherInBothDirections() {
        List<Partnership> partnerships = PartnerAffiliations.partnerships(List.of(
                partner("mk-kb-stip", "bg-mbal-blagoevgrad"),
                partner("bg-mbal-blagoevgrad", "mk-kb-stip"),
                partner("si-ukc-maribor", "at-klinikum-klagenfurt"),
                partner("at-klinikum-klagenfurt", "si-ukc-maribor")));

        assertThat(partnerships)
                .containsExactly(
                        new Partnership("at-klinikum-klagenfurt", "si-ukc-maribor"),
                        new Partnership("bg-mbal-blagoevgrad", "mk-kb-stip"),
                        new Partnership("mk-kb-stip", "bg-mbal-blagoevgrad"),
                        new Partnership("si-ukc-maribor", "at-klinikum-klagenfurt"));
    }

    @Test
    void shouldNotPairAPartnerListedOnOneSideOnlyNorUnknownOnesNorItself() {
        List<Partnership> partnerships = PartnerAffiliations.partnerships(List.of(
                partner("ua-lviv-regional-hospital", "pl-usk-rzeszow", "ua-lviv-regional-hospital"),
                partner("pl-usk-rzeszow"),
                partner("mk-kb-stip", "bg-mbal-blagoevgrad")));

        assertThat(partnerships).isEmpty();
    }

    @Test
    void shouldDescribeOneDirectionAsAnActiveCrossBorderReferralPartnership() {
        OrganizationAffiliation affiliation = PartnerAffiliations.affiliation(
                new Partnership("ua-lviv-regional-hospital", "pl-usk-rzeszow"),
                new Reference("Organization/31").setDisplay("КНП ЛОР «Львівська обласна клінічна лікарня»"),
                new Reference("Organization/32"),
                LocalDate.of(2026, 11, 25));

        assertThat(affiliation.getIdentifierFirstRep().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/partnership");
        assertThat(affiliation.getIdentifierFirstRep().getValue())
                .isEqualTo("ua-lviv-regional-hospital/pl-usk-rzeszow");
        assertThat(affiliation.getActive()).isTrue();
        assertThat(affiliation.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-11-25");
        assertThat(affiliation.getPeriod().hasEnd()).isFalse();
        assertThat(affiliation.getOrganization().getReference()).isEqualTo("Organization/31");
        assertThat(affiliation.getOrganization().getDisplay())
                .isEqualTo("КНП ЛОР «Львівська обласна клінічна лікарня»");
        assertThat(affiliation.getParticipatingOrganization().getReference()).isEqualTo("Organization/32");
        assertThat(affiliation.getCodeFirstRep().getCodingFirstRep().getSystem())
                .isEqualTo(CbhCanonical.CS_PARTNERSHIP);
        assertThat(affiliation.getCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("cross-border-referral");
    }

    private static PartnerDefinition partner(String id, String... referralPartners) {
        return new PartnerDefinition(
                id,
                Map.of("en", "Hospital " + id),
                "SI",
                List.of(new PartnerDefinition.OrganizationIdentifier("urn:oid:1.3.6.1.4.1.58762.1.1", id)),
                new PartnerDefinition.Credentials("CBHEALTH_PARTNER_TEST_SECRET", null),
                List.of(),
                null,
                List.of(),
                List.of(referralPartners),
                null);
    }
}
