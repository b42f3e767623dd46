package org.cbhealth.routes.partner;

import java.util.List;
import org.cbhealth.routes.fhir.InputProblem;

/**
 * What became of a message the hub accepted: the resources it stored (versioned ids) and the parts it refused
 * (e.g. bad rows of an export, each with its line and reason) while keeping the good ones, and for a directory
 * import the one-line summary of its report.
 */
public record InboundOutcome(
        List<String> storedIds, List<InputProblem> rejected, List<String> unmappedCodes, String report) {

    public InboundOutcome {
        storedIds = List.copyOf(storedIds);
        rejected = List.copyOf(rejected);
        unmappedCodes = List.copyOf(unmappedCodes);
    }

    public InboundOutcome(List<String> storedIds, List<InputProblem> rejected, List<String> unmappedCodes) {
        this(storedIds, rejected, unmappedCodes, null);
    }

    /**
     * One line for logs and answers; no content of the message (no PHI). A directory import says what it
     * created, updated, left unchanged and deactivated, and names its report.
     */
    public String summary() {
        if (report != null) {
            return report;
        }
        return "stored " + storedIds.size() + " resource(s), rejected " + rejected.size() + " part(s), "
                + unmappedCodes.size() + " unmapped code(s)";
    }
}
