package org.cbhealth.routes.directory.model;

import java.util.List;
import java.util.Objects;

/**
 * A site's postal address (FHIR {@code Address}).
 *
 * @param lines street and house number, in order
 * @param city city, or null
 * @param district district or municipality, or null
 * @param postalCode postal code, or null
 * @param country ISO 3166 alpha-2 country code ({@code MK})
 */
public record PostalAddress(List<String> lines, String city, String district, String postalCode, String country) {

    public PostalAddress {
        lines = List.copyOf(lines);
        Objects.requireNonNull(country, "country");
    }
}
