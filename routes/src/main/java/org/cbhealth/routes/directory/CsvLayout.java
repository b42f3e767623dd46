package org.cbhealth.routes.directory;

import java.nio.charset.Charset;
import java.util.Map;
import java.util.Objects;

/**
 * How one partner's CSV export is laid out: delimiter, character set, and which header column holds which
 * {@link DirectoryField}. Comes from the partner's configuration; no partner needs code of its own.
 *
 * @param delimiter column separator, e.g. {@code ;}
 * @param charset encoding the partner exports in (UTF-8 or windows-1251 for Cyrillic exports)
 * @param columns header name of each mapped field; the required fields must be mapped
 */
public record CsvLayout(char delimiter, Charset charset, Map<DirectoryField, String> columns) {

    public CsvLayout {
        Objects.requireNonNull(charset, "charset");
        columns = Map.copyOf(columns);
        for (DirectoryField field : DirectoryField.values()) {
            if (field.required() && !columns.containsKey(field)) {
                throw new IllegalArgumentException("CSV layout must map the column of " + field);
            }
        }
    }
}
