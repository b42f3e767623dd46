package org.cbhealth.routes.partner;

import java.util.List;
import org.cbhealth.routes.fhir.InputProblem;

/**
 * What became of a message the hub accepted: the resources it stored (versioned ids) and the parts it refused
 * (e.g. bad rows of an export, each with its line and reason) while keeping the good ones.
 */
public record InboundOutcome(List<String> storedIds, List<InputProblem> rejected, List<String> unmappedCodes) {

    public InboundOutcome {
        storedIds = List.copyOf(storedIds);
        rejected = List.copyOf(rejected);
        unmappedCodes = List.copyOf(unmappedCodes);
    }

    /** One line for logs and answers; no content of the message (no PHI). */
    public String summary() {
        return "stored " + storedIds.size() + " resource(s), rejected " + rejected.size() + " part(s), "
                + unmappedCodes.size() + " unmapped code(s)";
    }
}
