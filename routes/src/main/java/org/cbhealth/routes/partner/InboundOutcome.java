package org.cbhealth.routes.partner;

import java.util.List;
import org.cbhealth.routes.fhir.InputProblem;

/**
 * What became of a message the hub accepted: the resources it stored (versioned ids) and the parts it refused
 * (e.g. bad rows of an export, each with its line and reason) while keeping the good ones, and for a directory
 * import the one-line summary of its report. {@code answer} is the answer the channel gives the sender when the hub
 * wrote it already (the ACK of an HL7 v2 message, kept for its copies), else null and the channel writes its own.
 */
public record InboundOutcome(
        List<String> storedIds, List<InputProblem> rejected, List<String> unmappedCodes, String report, String answer) {

    public InboundOutcome {
        storedIds = List.copyOf(storedIds);
        rejected = List.copyOf(rejected);
        unmappedCodes = List.copyOf(unmappedCodes);
    }

    public InboundOutcome(
            List<String> storedIds, List<InputProblem> rejected, List<String> unmappedCodes, String report) {
        this(storedIds, rejected, unmappedCodes, report, null);
    }

    public InboundOutcome(List<String> storedIds, List<InputProblem> rejected, List<String> unmappedCodes) {
        this(storedIds, rejected, unmappedCodes, null, null);
    }

    /** The same outcome with the answer the sender gets. */
    public InboundOutcome withAnswer(String answer) {
        return new InboundOutcome(storedIds, rejected, unmappedCodes, report, answer);
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
