package org.cbhealth.routes.referral;

import java.util.ArrayList;
import java.util.List;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.fhir.FhirResourceReader;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Task;

/**
 * A status update sent as a FHIR Task (by a partner whose status channel carries FHIR): the Task names the
 * referral by the hub's referral number (its id or an identifier of system {@code SID_HUB_REFERRAL}) or by the
 * referrer's number (an identifier in the referrer's namespace), and carries the new business status, with
 * statusReason, restriction.period.start, note and an output attachment as the outcome document.
 */
public class TaskStatusReader {

    private final FhirResourceReader reader;

    public TaskStatusReader(FhirResourceReader reader) {
        this.reader = reader;
    }

    public StatusUpdate read(String text) {
        IBaseResource resource = reader.read(text);
        if (!(resource instanceof Task task)) {
            throw new InvalidMessageException(
                    "a status update sent as FHIR is a Task, not a " + resource.fhirType(),
                    List.of(new InputProblem("resourceType", "expected Task, got " + resource.fhirType())));
        }
        List<InputProblem> problems = new ArrayList<>();
        String referral = task.getIdentifier().stream()
                .filter(i -> CbhCanonical.SID_HUB_REFERRAL.equals(i.getSystem()) && i.hasValue())
                .map(Identifier::getValue)
                .findFirst()
                .orElse(task.getIdElement().hasIdPart() ? task.getIdElement().getIdPart() : null);
        Identifier placer = task.getIdentifier().stream()
                .filter(i ->
                        i.hasSystem() && i.hasValue() && i.getSystem().startsWith(CbhCanonical.PARTNER_IDENTIFIER_BASE))
                .findFirst()
                .orElse(null);
        if (referral == null && placer == null) {
            problems.add(new InputProblem(
                    "Task.identifier",
                    "name the referral: Task.id or an identifier of system " + CbhCanonical.SID_HUB_REFERRAL
                            + " (the hub's referral number), or the referrer's referral number"));
        }
        String status = task.getBusinessStatus().getCoding().stream()
                .filter(c -> CbhCanonical.CS_TASK_BUSINESS_STATUS.equals(c.getSystem()))
                .map(Coding::getCode)
                .findFirst()
                .orElse(null);
        if (status == null) {
            problems.add(new InputProblem(
                    "Task.businessStatus", "the new status is a coding of " + CbhCanonical.CS_TASK_BUSINESS_STATUS));
        } else if (!ReferralStateMachine.STATUSES.contains(status)) {
            problems.add(new InputProblem(
                    "Task.businessStatus", "'" + status + "' is not one of " + ReferralStateMachine.STATUSES));
        }
        StatusUpdate.Outcome outcome = null;
        for (Task.TaskOutputComponent output : task.getOutput()) {
            if (output.getValue() instanceof Attachment attachment) {
                if (!attachment.hasData() && !attachment.hasUrl()) {
                    problems.add(new InputProblem("Task.output.valueAttachment", "has neither data nor url"));
                } else {
                    outcome = new StatusUpdate.Outcome(
                            attachment.getTitle(),
                            attachment.getContentType(),
                            attachment.hasData() ? attachment.getData() : null,
                            attachment.getUrl());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidMessageException("the status update cannot be applied", problems);
        }
        return new StatusUpdate(
                referral,
                referral == null ? placer.getSystem() : null,
                referral == null ? placer.getValue() : null,
                status,
                task.getStatusReason().hasText()
                        ? task.getStatusReason().getText()
                        : task.getStatusReason().getCodingFirstRep().getDisplay(),
                task.getRestriction().getPeriod().hasStart()
                        ? task.getRestriction().getPeriod().getStartElement().getValueAsString()
                        : null,
                outcome,
                task.hasNote() ? task.getNoteFirstRep().getText() : null);
    }
}
