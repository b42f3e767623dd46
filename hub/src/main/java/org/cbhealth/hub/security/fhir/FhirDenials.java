package org.cbhealth.hub.security.fhir;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.Locale;
import java.util.Optional;
import org.cbhealth.hub.audit.HubAudit;
import org.cbhealth.hub.security.HubPrincipal;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * A refused access on {@code /fhir}: audited ({@link HubAudit#denied}, channel {@code fhir}) and answered 403 with an
 * OperationOutcome saying why. Action and target name the interaction and the resource type or id, never a search
 * value.
 */
public final class FhirDenials {

    /** The request attribute that marks a request whose refusal has been audited already. */
    private static final String AUDITED = FhirDenials.class.getName() + ".audited";

    private final HubAudit audit;

    public FhirDenials(HubAudit audit) {
        this.audit = audit;
    }

    private static final String CALLER = FhirDenials.class.getName() + ".caller";

    /** Keeps the caller with the request, for the parts of it HAPI runs outside the request thread. */
    public static void remember(RequestDetails request) {
        HubPrincipal.current().ifPresent(caller -> request.getUserData().putIfAbsent(CALLER, caller));
    }

    /** The caller of a request: the one kept with it, else the request thread's. */
    public static Optional<HubPrincipal> caller(RequestDetails request) {
        if (request != null && request.getUserData().get(CALLER) instanceof HubPrincipal kept) {
            return Optional.of(kept);
        }
        return HubPrincipal.current();
    }

    /** Audits the refusal and returns the 403 to throw. */
    public ForbiddenOperationException deny(RequestDetails request, String action, String target, String reason) {
        record(request, action, target, reason);
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.FORBIDDEN)
                .setDiagnostics("Access denied: " + reason);
        return new ForbiddenOperationException("Access denied: " + reason, outcome);
    }

    /** Audits a refusal (once per request for the same action) without answering. */
    public void record(RequestDetails request, String action, String target, String reason) {
        String key = AUDITED + "." + action + "." + target;
        if (request != null && request.getUserData().putIfAbsent(key, Boolean.TRUE) != null) {
            return;
        }
        Optional<HubPrincipal> caller = caller(request);
        audit.denied(new HubAudit.Denial(
                caller.filter(HubPrincipal::isPartner).map(HubPrincipal::name).orElse(null),
                caller.filter(c -> !c.isPartner()).map(HubPrincipal::name).orElse(null),
                "fhir",
                action,
                target,
                reason,
                address(request)));
    }

    /** The interaction, as FHIR names it ({@code read}, {@code search-type}, {@code $everything}...). */
    public static String action(RequestDetails request) {
        if (request == null) {
            return "unknown";
        }
        if (request.getOperation() != null && !request.getOperation().isBlank()) {
            return request.getOperation();
        }
        RestOperationTypeEnum type = request.getRestOperationType();
        return type == null ? "unknown" : type.getCode().toLowerCase(Locale.ROOT);
    }

    /** The resource type, or type/id of an instance interaction. */
    public static String target(RequestDetails request) {
        if (request == null) {
            return "server";
        }
        if (request.getId() != null && request.getId().hasIdPart()) {
            return request.getId().toUnqualifiedVersionless().getValue();
        }
        return request.getResourceName() == null ? "server" : request.getResourceName();
    }

    private static String address(RequestDetails request) {
        return request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null
                ? servlet.getServletRequest().getRemoteAddr()
                : null;
    }
}
