package org.cbhealth.routes.directory.model;

import java.util.List;
import java.util.Objects;
import org.cbhealth.routes.fhir.InputProblem;

/**
 * What a reader made of a partner's directory message: the records it accepted, and each record it refused with
 * where it is and why (the good records are kept; a refused one is left out as a whole).
 */
public record CatalogueRead(DirectoryCatalogue catalogue, List<InputProblem> refused) {

    public CatalogueRead {
        Objects.requireNonNull(catalogue, "catalogue");
        refused = List.copyOf(refused);
    }
}
