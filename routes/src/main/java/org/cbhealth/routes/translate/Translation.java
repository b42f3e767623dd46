package org.cbhealth.routes.translate;

import java.util.List;
import org.cbhealth.routes.fhir.InputProblem;
import org.hl7.fhir.r4.model.Resource;

/**
 * The FHIR resources a message translates to, the parts of it that were refused (each with its location and
 * reason; the rest is still translated), the partner codes no ConceptMap maps (kept as the partner's coding), and
 * for directory data the records the partner withdrew ({@code Type/<the partner's own id>}, e.g. a DELETE entry of
 * its FHIR server's history), which the hub deactivates.
 */
public record Translation(
        List<Resource> resources, List<InputProblem> rejected, List<String> unmappedCodes, List<String> withdrawn) {

    public Translation {
        resources = List.copyOf(resources);
        rejected = List.copyOf(rejected);
        unmappedCodes = List.copyOf(unmappedCodes);
        withdrawn = List.copyOf(withdrawn);
    }

    public Translation(List<Resource> resources, List<InputProblem> rejected, List<String> unmappedCodes) {
        this(resources, rejected, unmappedCodes, List.of());
    }
}
