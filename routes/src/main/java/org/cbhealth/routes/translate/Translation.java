package org.cbhealth.routes.translate;

import java.util.List;
import org.cbhealth.routes.fhir.InputProblem;
import org.hl7.fhir.r4.model.Resource;

/**
 * The FHIR resources a message translates to, the parts of it that were refused (each with its location and
 * reason; the rest is still translated) and the partner codes no ConceptMap maps (kept as the partner's coding).
 */
public record Translation(List<Resource> resources, List<InputProblem> rejected, List<String> unmappedCodes) {

    public Translation {
        resources = List.copyOf(resources);
        rejected = List.copyOf(rejected);
        unmappedCodes = List.copyOf(unmappedCodes);
    }
}
