package org.cbhealth.hub.partner;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cbhealth.routes.fhir.FhirResourceStore;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Each configured partner as an Organization of the directory, published when its file is loaded (created
 * once, on its registry identifier), so the resources translated from its messages can point to it.
 */
@Component
public class PartnerOrganizations {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerOrganizations.class);

    private final FhirResourceStore store;
    private final Map<String, Reference> published = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<PartnerDefinition.OrganizationIdentifier>> identified =
            new ConcurrentHashMap<>();

    public PartnerOrganizations(FhirResourceStore store) {
        this.store = store;
    }

    /** Stores the partner's Organization if it is not there yet and remembers the reference. */
    public Reference publish(PartnerDefinition partner) {
        try {
            String id = store.store(organization(partner));
            Reference reference = new Reference(id.replaceFirst("/_history/.*", ""))
                    .setDisplay(partner.names().values().iterator().next());
            published.put(partner.id(), reference);
            identified.put(partner.id(), partner.identifiers());
            return reference;
        } catch (RuntimeException e) {
            LOG.warn("Partner {}: its Organization could not be published: {}", partner.id(), e.getMessage());
            return byIdentifier(partner);
        }
    }

    /** The reference to the partner's Organization, without storing anything (for dry-runs). */
    public Reference referenceOf(PartnerDefinition partner) {
        Reference reference = published.get(partner.id());
        return reference != null ? reference.copy() : byIdentifier(partner);
    }

    /**
     * The partner whose Organization a reference points to: a literal reference ({@code Organization/12}, with or
     * without version or base) to a published partner Organization, or a logical reference by a partner's
     * registry identifier.
     */
    public java.util.Optional<String> partnerOf(Reference reference) {
        if (reference == null || reference.isEmpty()) {
            return java.util.Optional.empty();
        }
        if (reference.hasReference()) {
            org.hl7.fhir.r4.model.IdType id = new org.hl7.fhir.r4.model.IdType(reference.getReference());
            String wanted = "Organization/" + id.getIdPart();
            if (!"Organization".equals(id.getResourceType())) {
                return java.util.Optional.empty();
            }
            return published.entrySet().stream()
                    .filter(e -> wanted.equals(e.getValue().getReference()))
                    .map(Map.Entry::getKey)
                    .findFirst();
        }
        if (reference.hasIdentifier()) {
            String value = reference.getIdentifier().getValue();
            String system = reference.getIdentifier().getSystem();
            return identified.entrySet().stream()
                    .filter(e -> e.getValue().stream()
                            .anyMatch(i -> i.value().equals(value)
                                    && (system == null || i.system().equals(system))))
                    .map(Map.Entry::getKey)
                    .findFirst();
        }
        return java.util.Optional.empty();
    }

    static Organization organization(PartnerDefinition partner) {
        Organization organization = new Organization();
        partner.identifiers()
                .forEach(id ->
                        organization.addIdentifier().setSystem(id.system()).setValue(id.value()));
        organization.setActive(true);
        // the first name is in the partner's own language: the language of the resource (chooses its romanization)
        organization.setLanguage(partner.names().keySet().iterator().next());
        boolean first = true;
        for (String name : partner.names().values()) {
            if (first) {
                organization.setName(name);
                first = false;
            } else {
                organization.addAlias(name);
            }
        }
        organization.addAddress().setCountry(partner.country());
        return organization;
    }

    private static Reference byIdentifier(PartnerDefinition partner) {
        Reference reference = new Reference().setType("Organization");
        PartnerDefinition.OrganizationIdentifier id = partner.identifiers().get(0);
        reference.getIdentifier().setSystem(id.system()).setValue(id.value());
        return reference.setDisplay(partner.names().values().iterator().next());
    }
}
