package org.cbhealth.routes.directory;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * One accepted row of a department export, by {@link DirectoryField}, with its line number in the file.
 *
 * @param line 1-based line number of the record in the file (the header is line 1)
 */
public record DirectoryRow(long line, Map<DirectoryField, String> values) {

    public DirectoryRow {
        values = values.isEmpty() ? Map.of() : new EnumMap<>(values);
    }

    public Optional<String> get(DirectoryField field) {
        return Optional.ofNullable(values.get(field)).filter(v -> !v.isBlank());
    }
}
