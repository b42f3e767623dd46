package org.cbhealth.hub.security.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.cbhealth.hub.partner.PartnerOrganizations;
import org.cbhealth.hub.security.HubPrincipal;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;

/**
 * What a partner may change through {@code /fhir} (registered on the RestfulServer, so it sees only REST writes; the
 * hub's own writes use {@link SystemRequestDetails} and pass): a directory resource only if it is the partner's own
 * ({@code meta.source} under {@code https://fhir.cbhealth.eu/partner/<id>/}), a new one gets {@code
 * https://fhir.cbhealth.eu/partner/<id>/fhir}; a Task only as a party of the referral — a new referral Task with the
 * partner as requester, a change of one labelled for it. Anything else is refused (403, audited). Every referral Task
 * written through {@code /fhir}, by anyone, is labelled for both its parties.
 */
@Interceptor
public class PartnerWriteGuard {

    private final PartnerOrganizations organizations;
    private final FhirDenials denials;

    public PartnerWriteGuard(PartnerOrganizations organizations, FhirDenials denials) {
        this.organizations = organizations;
        this.denials = denials;
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = -1000)
    public void creating(IBaseResource resource, RequestDetails request) {
        if (internal(request)) {
            return;
        }
        labelTask(resource);
        Optional<String> partner = partner();
        if (partner.isEmpty()) {
            return;
        }
        String type = resource.fhirType();
        if (ReferralAccess.DIRECTORY_TYPES.contains(type)) {
            ((Resource) resource).getMeta().setSource(ReferralAccess.sourcePrefix(partner.get()) + "fhir");
            return;
        }
        if (resource instanceof Task task
                && organizations
                        .partnerOf(task.getRequester())
                        .filter(partner.get()::equals)
                        .isPresent()) {
            return;
        }
        throw denials.deny(
                request,
                "create",
                type,
                resource instanceof Task
                        ? "a partner creates only referral Tasks it requests (Task.requester is its Organization)"
                        : "partners may not create " + type);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = -1000)
    public void updating(IBaseResource previous, IBaseResource updated, RequestDetails request) {
        if (internal(request)) {
            return;
        }
        labelTask(updated);
        Optional<String> partner = partner();
        if (partner.isEmpty()) {
            return;
        }
        String type = updated.fhirType();
        String id = previous.getIdElement().toUnqualifiedVersionless().getValue();
        if (!ReferralAccess.maySee(HubPrincipal.partner(partner.get()), previous)) {
            // as if it did not exist, like a read of it
            denials.record(request, "update", id, "the resource is not visible to the partner");
            throw new ResourceNotFoundException(previous.getIdElement().toUnqualifiedVersionless());
        }
        if (ReferralAccess.DIRECTORY_TYPES.contains(type)) {
            if (owns(partner.get(), previous) || isPartnerOrganization(partner.get(), previous)) {
                ((Resource) updated).getMeta().setSource(ReferralAccess.sourcePrefix(partner.get()) + "fhir");
                return;
            }
            throw denials.deny(request, "update", id, "the directory resource is not the partner's own");
        }
        if (updated instanceof Task && ReferralAccess.labels(previous).contains(partner.get())) {
            return;
        }
        throw denials.deny(
                request,
                "update",
                id,
                updated instanceof Task
                        ? "the Task is not of a referral the partner is a party to"
                        : "partners may not update " + type);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED, order = -1000)
    public void deleting(IBaseResource resource, RequestDetails request) {
        if (internal(request) || partner().isEmpty()) {
            return;
        }
        throw denials.deny(
                request,
                "delete",
                resource.getIdElement().toUnqualifiedVersionless().getValue(),
                "partners may not delete; directory records are deactivated");
    }

    /** A referral Task (both parties partner organizations) carries both parties' labels. */
    private void labelTask(IBaseResource resource) {
        if (resource instanceof Task task) {
            List<String> parties = Stream.of(
                            organizations.partnerOf(task.getRequester()), organizations.partnerOf(task.getOwner()))
                    .flatMap(Optional::stream)
                    .toList();
            if (parties.size() == 2) {
                ReferralAccess.label(task, parties);
            }
        }
    }

    private static boolean owns(String partnerId, IBaseResource resource) {
        String source = ((Resource) resource).getMeta().getSource();
        return source != null && source.startsWith(ReferralAccess.sourcePrefix(partnerId));
    }

    /** The partner's own Organization, published by the hub from its partner file. */
    private boolean isPartnerOrganization(String partnerId, IBaseResource resource) {
        return "Organization".equals(resource.fhirType())
                && organizations
                        .partnerOf(new org.hl7.fhir.r4.model.Reference(resource.getIdElement()
                                .toUnqualifiedVersionless()
                                .getValue()))
                        .filter(partnerId::equals)
                        .isPresent();
    }

    private static boolean internal(RequestDetails request) {
        return request == null || request instanceof SystemRequestDetails;
    }

    private static Optional<String> partner() {
        return HubPrincipal.current().filter(HubPrincipal::isPartner).map(HubPrincipal::name);
    }
}
