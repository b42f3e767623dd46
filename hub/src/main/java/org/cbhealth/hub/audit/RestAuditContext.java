package org.cbhealth.hub.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import jakarta.annotation.Nonnull;
import java.util.Optional;
import org.cbhealth.hub.partner.PartnerOrganizations;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.cbhealth.hub.security.HubPrincipal;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * Who a REST interaction on {@code /fhir} was for, as the IHE BALP AuditEvents name it: the {@link HubPrincipal} of
 * the request thread. A partner is named by its Organization (with its partner id as identifier), a member of staff
 * by user name; either way {@code agent.altId} of the requesting agent carries the id, so the trail is searchable
 * by {@code altid}. An unauthenticated request is named {@code anonymous}. Resource references stay relative
 * ({@code Task/12/_history/1}): they point into the hub's own store, which keeps the AuditEvents.
 */
public class RestAuditContext implements IBalpAuditContextServices {

    /** The display of the agent of a request without authentication. */
    public static final String ANONYMOUS = "anonymous";

    private final PartnerRegistry registry;
    private final PartnerOrganizations organizations;

    public RestAuditContext(PartnerRegistry registry, PartnerOrganizations organizations) {
        this.registry = registry;
        this.organizations = organizations;
    }

    /** The client: the partner's system (its OAuth client id is the partner id) or the staff member's tool. */
    @Nonnull
    @Override
    public Reference getAgentClientWho(RequestDetails request) {
        return identified(HubPrincipal.current());
    }

    /** The user: the partner's Organization, or the staff member. */
    @Nonnull
    @Override
    public Reference getAgentUserWho(RequestDetails request) {
        Optional<HubPrincipal> principal = HubPrincipal.current();
        Reference who = identified(principal);
        if (principal.isPresent() && principal.get().isPartner()) {
            registry.definition(principal.get().name())
                    .map(organizations::referenceOf)
                    .filter(Reference::hasReference)
                    .ifPresent(organization -> who.setReference(organization.getReference()));
        }
        return who;
    }

    @Nonnull
    @Override
    public String massageResourceIdForStorage(
            @Nonnull RequestDetails request, @Nonnull IBaseResource resource, @Nonnull IIdType id) {
        return id.toUnqualified().getValue();
    }

    private static Reference identified(Optional<HubPrincipal> principal) {
        if (principal.isEmpty()) {
            return new Reference().setDisplay(ANONYMOUS);
        }
        HubPrincipal caller = principal.get();
        return new Reference()
                .setIdentifier(new Identifier()
                        .setSystem(caller.isPartner() ? HubAudit.PARTNER_SYSTEM : HubAudit.STAFF_SYSTEM)
                        .setValue(caller.name()));
    }

    /** The event with {@code altId} of its requesting agent set to the partner id or user name it names. */
    static AuditEvent withAltId(AuditEvent event) {
        for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
            if (agent.getRequestor() && !agent.hasAltId()) {
                Identifier id = agent.getWho().getIdentifier();
                agent.setAltId(id.hasValue() ? id.getValue() : ANONYMOUS);
            }
        }
        return event;
    }
}
