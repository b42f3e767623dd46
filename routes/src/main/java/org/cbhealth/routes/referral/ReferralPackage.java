package org.cbhealth.routes.referral;

import java.util.List;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * A stored referral as the hub read it back for delivery: the Task (its logical id is the hub's referral
 * number) and everything it points to. Resources carry their hub ids ({@code getIdElement().getIdPart()}).
 * Outbound writers turn it into the destination's format (a referral) or the referrer's (a status notice).
 *
 * @param practitioner the referring practitioner, or null
 * @param role the referring practitioner's role, or null
 * @param attachments documents sent with the referral
 * @param outcome the outcome document of a completed referral, or null
 */
public record ReferralPackage(
        Task task,
        ServiceRequest request,
        Patient patient,
        List<Condition> conditions,
        List<Observation> observations,
        List<DocumentReference> attachments,
        Organization requester,
        Organization owner,
        Practitioner practitioner,
        PractitionerRole role,
        DocumentReference outcome) {

    public ReferralPackage {
        conditions = List.copyOf(conditions);
        observations = List.copyOf(observations);
        attachments = List.copyOf(attachments);
    }
}
