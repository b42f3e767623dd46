package org.cbhealth.routes.directory.model;

import java.util.List;
import java.util.Objects;

/**
 * A person's name written in one language and script (FHIR {@code HumanName}); a practitioner has one per script,
 * e.g. {@code mk} (Cyrillic) and {@code mk-Latn}.
 *
 * @param language BCP 47 tag of the language and, where it is not the language's usual one, the script
 * @param family family name
 * @param given given names, in order
 * @param prefixes titles before the name ({@code д-р}, {@code Prim. Dr.})
 */
public record PersonName(String language, String family, List<String> given, List<String> prefixes) {

    public PersonName {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(family, "family");
        given = List.copyOf(given);
        prefixes = List.copyOf(prefixes);
    }
}
