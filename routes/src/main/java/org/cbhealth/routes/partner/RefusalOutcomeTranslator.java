package org.cbhealth.routes.partner;

import ca.uhn.fhir.context.FhirContext;
import java.util.Optional;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.hl7.Hl7v2RejectedException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * A refusal's located problems as a FHIR R4 OperationOutcome (JSON), kept with a parked message: one issue per
 * problem ({@link InvalidMessageException#problems()}, or each ERR of an {@link Hl7v2RejectedException}), the
 * location as {@code expression} (a FHIRPath, JSON pointer, {@code PID-7} or CSV line), the reason as {@code
 * diagnostics}. A refusal without located problems has no OperationOutcome: its reason is the only text.
 */
public final class RefusalOutcomeTranslator {

    /** At most this many issues are kept; a message with more says how many were left out. */
    static final int MAX_ISSUES = 50;

    private final FhirContext fhirContext;

    public RefusalOutcomeTranslator(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    /** The translator on HAPI's shared R4 context (the one {@link FhirContext#forR4Cached()} holds). */
    public static RefusalOutcomeTranslator shared() {
        return new RefusalOutcomeTranslator(FhirContext.forR4Cached());
    }

    public Optional<String> toJson(Throwable refusal) {
        OperationOutcome outcome = new OperationOutcome();
        if (refusal instanceof Hl7v2RejectedException hl7 && !hl7.errors().isEmpty()) {
            hl7.errors().stream()
                    .limit(MAX_ISSUES)
                    .forEach(e -> add(outcome, e.location(), e.codeText() + ": " + e.text()));
            leftOut(outcome, hl7.errors().size());
        } else if (refusal instanceof InvalidMessageException invalid
                && !invalid.problems().isEmpty()) {
            invalid.problems().stream().limit(MAX_ISSUES).forEach(p -> add(outcome, p.location(), p.reason()));
            leftOut(outcome, invalid.problems().size());
        } else {
            return Optional.empty();
        }
        return Optional.of(fhirContext.newJsonParser().encodeResourceToString(outcome));
    }

    private static void add(OperationOutcome outcome, String location, String text) {
        var issue = outcome.addIssue()
                .setSeverity(IssueSeverity.ERROR)
                .setCode(IssueType.INVALID)
                .setDiagnostics(text);
        if (location != null && !location.isBlank()) {
            issue.addExpression(location);
        }
    }

    private static void leftOut(OperationOutcome outcome, int total) {
        if (total > MAX_ISSUES) {
            outcome.addIssue()
                    .setSeverity(IssueSeverity.INFORMATION)
                    .setCode(IssueType.TOOCOSTLY)
                    .setDiagnostics((total - MAX_ISSUES) + " more problem(s) left out");
        }
    }
}
