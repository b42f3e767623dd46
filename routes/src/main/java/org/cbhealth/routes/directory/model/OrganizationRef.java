package org.cbhealth.routes.directory.model;

import java.util.Objects;

/**
 * Another organization, named by its identifier in a registry (FHIR logical reference by identifier).
 *
 * @param system the registry's identifier system, an absolute URI (e.g. {@code
 *     https://fhir.cbhealth.eu/sid/registry/pl-regon})
 * @param value the organization's identifier in that registry
 * @param name its name for people, or null
 */
public record OrganizationRef(String system, String value, String name) {

    public OrganizationRef {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(value, "value");
    }
}
