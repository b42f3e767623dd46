package org.cbhealth.routes.translate;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cbhealth.routes.directory.CsvLayout;
import org.cbhealth.routes.directory.CsvReadResult;
import org.cbhealth.routes.directory.DepartmentTranslator;
import org.cbhealth.routes.directory.DirectoryCsvReader;
import org.cbhealth.routes.directory.DirectoryField;
import org.cbhealth.routes.directory.DirectoryRow;
import org.cbhealth.routes.directory.RowProblem;
import org.cbhealth.routes.fhir.InputProblem;
import org.hl7.fhir.r4.model.Resource;

/**
 * A partner's department export (CSV) → HealthcareServices. The layout comes from the channel's settings:
 *
 * <pre>
 * settings:
 *   charset: windows-1251        # default UTF-8
 *   delimiter: ";"               # default ;
 *   language: bg                 # language of the export, for rows that list none
 *   columns:                     # the partner's header for each field the hub understands
 *     department-code: Код
 *     department-name: Отделение
 *     specialty-code: Код специалност
 * </pre>
 *
 * Bad rows are refused one by one with their line, column and reason; the good rows are translated.
 */
public class CsvDirectoryTranslator implements MessageTranslator {

    private final DirectoryCsvReader reader = new DirectoryCsvReader();
    private final DepartmentTranslator departments;

    public CsvDirectoryTranslator(DepartmentTranslator departments) {
        this.departments = departments;
    }

    @Override
    public Translation translate(byte[] body, TranslationContext context) {
        CsvLayout layout = layout(context.settings());
        CsvReadResult read = reader.read(body, layout);
        List<Resource> resources = new ArrayList<>();
        List<InputProblem> rejected = new ArrayList<>();
        List<String> unmapped = new ArrayList<>();
        for (RowProblem problem : read.problems()) {
            rejected.add(new InputProblem(
                    problem.line() == 0 ? "file" : "line " + problem.line() + ", column '" + problem.column() + "'",
                    problem.reason()));
        }
        DepartmentTranslator.Partner partner = new DepartmentTranslator.Partner(
                context.partnerId(),
                context.organization(),
                context.localSpecialtySystem(),
                String.valueOf(context.settings().getOrDefault("language", context.defaultLanguage())));
        for (DirectoryRow row : read.rows()) {
            DepartmentTranslator.Department department = departments.translate(row, partner);
            resources.add(department.service());
            if (!department.specialtyMapped()) {
                unmapped.add("line " + row.line() + ": "
                        + row.get(DirectoryField.SPECIALTY_CODE)
                                .or(() -> row.get(DirectoryField.SPECIALTY_TEXT))
                                .orElse("(no specialty)"));
            }
        }
        return new Translation(resources, rejected, unmapped);
    }

    /**
     * The CSV layout the settings describe.
     *
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    public static CsvLayout layout(Map<String, Object> settings) {
        Object delimiter = settings.getOrDefault("delimiter", ";");
        if (!(delimiter instanceof String d) || d.length() != 1) {
            throw new IllegalArgumentException("delimiter: '" + delimiter + "' must be one character");
        }
        Charset charset;
        String charsetName = String.valueOf(settings.getOrDefault("charset", StandardCharsets.UTF_8.name()));
        try {
            charset = Charset.forName(charsetName);
        } catch (IllegalCharsetNameException | java.nio.charset.UnsupportedCharsetException e) {
            throw new IllegalArgumentException("charset: unknown character set '" + charsetName + "'");
        }
        if (!(settings.get("columns") instanceof Map<?, ?> columns) || columns.isEmpty()) {
            throw new IllegalArgumentException(
                    "columns: required, the partner's header for each field, e.g. department-code: Код");
        }
        Map<DirectoryField, String> mapped = new EnumMap<>(DirectoryField.class);
        for (Map.Entry<?, ?> column : columns.entrySet()) {
            String key = String.valueOf(column.getKey());
            DirectoryField field = field(key);
            if (field == null) {
                throw new IllegalArgumentException("columns." + key + ": unknown field; one of " + fieldNames());
            }
            if (!(column.getValue() instanceof String header) || header.isBlank()) {
                throw new IllegalArgumentException("columns." + key + ": must be the partner's column header");
            }
            mapped.put(field, header);
        }
        for (DirectoryField field : DirectoryField.values()) {
            if (field.required() && !mapped.containsKey(field)) {
                throw new IllegalArgumentException("columns." + yamlName(field) + ": required");
            }
        }
        return new CsvLayout(((String) delimiter).charAt(0), charset, mapped);
    }

    private static DirectoryField field(String yamlName) {
        for (DirectoryField field : DirectoryField.values()) {
            if (yamlName(field).equals(yamlName)) {
                return field;
            }
        }
        return null;
    }

    private static String yamlName(DirectoryField field) {
        return field.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String fieldNames() {
        List<String> names = new ArrayList<>();
        for (DirectoryField field : DirectoryField.values()) {
            names.add(yamlName(field));
        }
        return String.join(", ", names);
    }
}
