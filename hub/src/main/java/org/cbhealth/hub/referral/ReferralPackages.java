package org.cbhealth.hub.referral;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.ArrayList;
import java.util.List;
import org.cbhealth.routes.referral.ReferralPackage;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/** Reads a stored referral back, from its Task, as the {@link ReferralPackage} the outbound writers take. */
@Component
public class ReferralPackages {

    private final DaoRegistry daos;

    public ReferralPackages(DaoRegistry daos) {
        this.daos = daos;
    }

    /** The referral as it was at the given version of its Task (the version a notice announces). */
    public ReferralPackage read(String taskId, long taskVersion) {
        Task task = read(Task.class, new IdType("Task", taskId, Long.toString(taskVersion)));
        ServiceRequest request = read(ServiceRequest.class, task.getFocus());
        Patient patient = read(Patient.class, task.getFor());
        List<Condition> conditions = new ArrayList<>();
        for (Reference reason : request.getReasonReference()) {
            if (reason.getReference().startsWith("Condition/")) {
                conditions.add(read(Condition.class, reason));
            }
        }
        List<Observation> observations = new ArrayList<>();
        List<DocumentReference> attachments = new ArrayList<>();
        for (Reference info : request.getSupportingInfo()) {
            if (info.getReference().startsWith("Observation/")) {
                observations.add(read(Observation.class, info));
            } else if (info.getReference().startsWith("DocumentReference/")) {
                attachments.add(read(DocumentReference.class, info));
            }
        }
        PractitionerRole role = null;
        Practitioner practitioner = null;
        if (request.getRequester().getReference() != null
                && request.getRequester().getReference().startsWith("PractitionerRole/")) {
            role = read(PractitionerRole.class, request.getRequester());
            if (role.getPractitioner().hasReference()) {
                practitioner = read(Practitioner.class, role.getPractitioner());
            }
        }
        DocumentReference outcome = task.getOutput().stream()
                .filter(o -> o.getValue() instanceof Reference r
                        && r.hasReference()
                        && r.getReference().startsWith("DocumentReference/"))
                .findFirst()
                .map(o -> read(DocumentReference.class, (Reference) o.getValue()))
                .orElse(null);
        return new ReferralPackage(
                task,
                request,
                patient,
                conditions,
                observations,
                attachments,
                read(Organization.class, task.getRequester()),
                read(Organization.class, task.getOwner()),
                practitioner,
                role,
                outcome);
    }

    private <T extends IBaseResource> T read(Class<T> type, Reference reference) {
        return read(type, new IdType(reference.getReference()).toUnqualifiedVersionless());
    }

    private <T extends IBaseResource> T read(Class<T> type, IdType id) {
        return daos.getResourceDao(type).read(id, new SystemRequestDetails());
    }
}
