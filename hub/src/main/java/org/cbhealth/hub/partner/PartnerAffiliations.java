package org.cbhealth.hub.partner;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The partnerships of the directory as OrganizationAffiliations (profile {@code cbh-organizationaffiliation}): two
 * configured partners that list each other in {@code referralPartners} are cross-border referral partners, published
 * once in each direction ({@code organization} = the one, {@code participatingOrganization} = the other), so that
 * {@code OrganizationAffiliation?primary-organization=X} lists all of X's partners. Each is identified by
 * {@code https://fhir.cbhealth.eu/sid/partnership|<organization's partner id>/<participating partner's id>}, created
 * when both files list each other, left alone while nothing changes, and deactivated ({@code active=false},
 * {@code period.end}) when one of them stops listing the other or its file is removed; never deleted.
 */
@Component
public class PartnerAffiliations {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerAffiliations.class);

    /** One direction of a partnership: the organization's partner and the participating partner. */
    record Partnership(String partnerId, String participantId) {

        String identifierValue() {
            return partnerId + "/" + participantId;
        }
    }

    /**
     * What a synchronisation did.
     *
     * @param complete false when a partnership had to wait because a partner's Organization is not published yet
     */
    public record Report(int created, int updated, int deactivated, boolean complete) {}

    private final DaoRegistry daoRegistry;
    private final PartnerOrganizations organizations;

    public PartnerAffiliations(DaoRegistry daoRegistry, PartnerOrganizations organizations) {
        this.daoRegistry = daoRegistry;
        this.organizations = organizations;
    }

    /** Brings the stored partnerships in line with the partners configured now. */
    public synchronized Report synchronize(Collection<PartnerDefinition> partners) {
        IFhirResourceDao<OrganizationAffiliation> dao = daoRegistry.getResourceDao(OrganizationAffiliation.class);
        Map<String, OrganizationAffiliation> stored = stored(dao);
        Map<String, PartnerDefinition> byId =
                partners.stream().collect(Collectors.toMap(PartnerDefinition::id, p -> p, (a, b) -> a));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        int created = 0;
        int updated = 0;
        int deactivated = 0;
        boolean complete = true;
        List<Partnership> wanted = partnerships(partners);
        for (Partnership partnership : wanted) {
            Reference organization = organizations.referenceOf(byId.get(partnership.partnerId()));
            Reference participant = organizations.referenceOf(byId.get(partnership.participantId()));
            if (!organization.hasReference() || !participant.hasReference()) {
                complete = false;
                continue;
            }
            OrganizationAffiliation current = stored.get(partnership.identifierValue());
            if (current == null) {
                OrganizationAffiliation affiliation = affiliation(partnership, organization, participant, today);
                dao.create(affiliation, matchUrl(partnership), new SystemRequestDetails());
                created++;
            } else if (!isActiveBetween(current, organization, participant)) {
                String start = current.getActive()
                        ? current.getPeriod().getStartElement().getValueAsString()
                        : null;
                OrganizationAffiliation affiliation = affiliation(
                        partnership, organization, participant, start != null ? LocalDate.parse(start) : today);
                affiliation.setId(current.getIdElement().toUnqualifiedVersionless());
                dao.update(affiliation, new SystemRequestDetails());
                updated++;
            }
        }
        Set<String> wantedIds =
                wanted.stream().map(Partnership::identifierValue).collect(Collectors.toSet());
        for (Map.Entry<String, OrganizationAffiliation> entry : stored.entrySet()) {
            if (!wantedIds.contains(entry.getKey()) && entry.getValue().getActive()) {
                OrganizationAffiliation ended = entry.getValue().copy();
                ended.setActive(false);
                ended.getPeriod().setEndElement(new DateTimeType(today.toString()));
                ended.setId(entry.getValue().getIdElement().toUnqualifiedVersionless());
                dao.update(ended, new SystemRequestDetails());
                deactivated++;
            }
        }
        if (created + updated + deactivated > 0) {
            LOG.info("Partnerships: {} created, {} updated, {} ended", created, updated, deactivated);
        }
        return new Report(created, updated, deactivated, complete);
    }

    /**
     * Both directions of every pair of partners that list each other in {@code referralPartners}, ordered by partner
     * id; a partner listing itself or a partner that is not configured makes no partnership.
     */
    static List<Partnership> partnerships(Collection<PartnerDefinition> partners) {
        Map<String, Set<String>> lists = new HashMap<>();
        for (PartnerDefinition partner : partners) {
            lists.put(partner.id(), Set.copyOf(partner.referralPartners()));
        }
        List<Partnership> partnerships = new ArrayList<>();
        for (Map.Entry<String, Set<String>> partner : lists.entrySet()) {
            for (String other : partner.getValue()) {
                if (!other.equals(partner.getKey())
                        && lists.getOrDefault(other, Set.of()).contains(partner.getKey())) {
                    partnerships.add(new Partnership(partner.getKey(), other));
                }
            }
        }
        partnerships.sort(Comparator.comparing(Partnership::partnerId).thenComparing(Partnership::participantId));
        return partnerships;
    }

    /** The active affiliation of one direction of a partnership, starting {@code start}. */
    static OrganizationAffiliation affiliation(
            Partnership partnership, Reference organization, Reference participant, LocalDate start) {
        OrganizationAffiliation affiliation = new OrganizationAffiliation();
        affiliation.addIdentifier().setSystem(CbhCanonical.SID_PARTNERSHIP).setValue(partnership.identifierValue());
        affiliation.setActive(true);
        affiliation.getPeriod().setStartElement(new DateTimeType(start.toString()));
        affiliation.setOrganization(organization.copy());
        affiliation.setParticipatingOrganization(participant.copy());
        affiliation
                .addCode()
                .addCoding()
                .setSystem(CbhCanonical.CS_PARTNERSHIP)
                .setCode(CbhCanonical.PARTNERSHIP_CROSS_BORDER_REFERRAL)
                .setDisplay("Cross-border referral partnership");
        return affiliation;
    }

    private static boolean isActiveBetween(
            OrganizationAffiliation affiliation, Reference organization, Reference participant) {
        return affiliation.getActive()
                && Objects.equals(affiliation.getOrganization().getReference(), organization.getReference())
                && Objects.equals(
                        affiliation.getParticipatingOrganization().getReference(), participant.getReference());
    }

    /** The hub's stored partnerships by identifier value. */
    private static Map<String, OrganizationAffiliation> stored(IFhirResourceDao<OrganizationAffiliation> dao) {
        SearchParameterMap search = SearchParameterMap.newSynchronous()
                .add(OrganizationAffiliation.SP_IDENTIFIER, new TokenParam(CbhCanonical.SID_PARTNERSHIP, null));
        Map<String, OrganizationAffiliation> stored = new HashMap<>();
        dao.search(search, new SystemRequestDetails()).getAllResources().stream()
                .map(OrganizationAffiliation.class::cast)
                .forEach(affiliation -> affiliation.getIdentifier().stream()
                        .filter(id -> CbhCanonical.SID_PARTNERSHIP.equals(id.getSystem()))
                        .map(Identifier::getValue)
                        .findFirst()
                        .ifPresent(value -> stored.put(value, affiliation)));
        return stored;
    }

    private static String matchUrl(Partnership partnership) {
        return "OrganizationAffiliation?identifier="
                + URLEncoder.encode(
                        CbhCanonical.SID_PARTNERSHIP + "|" + partnership.identifierValue(), StandardCharsets.UTF_8);
    }
}
