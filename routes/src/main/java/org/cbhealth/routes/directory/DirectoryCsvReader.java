package org.cbhealth.routes.directory;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.cbhealth.routes.fhir.InvalidMessageException;

/**
 * Reads a partner's department export (CSV) by its {@link CsvLayout}: decodes the bytes in the declared
 * character set (refusing bytes that are not valid in it, and a UTF-8 file declared as windows-1251),
 * checks the header has every mapped column, and checks each row on its own, so one bad row is reported
 * with its line, column and reason while the good rows go on.
 */
public class DirectoryCsvReader {

    private static final Pattern LANGUAGE_CODE = Pattern.compile("[a-z]{2}");
    private static final int MAX_BYTES = 20 * 1024 * 1024;

    public CsvReadResult read(byte[] bytes, CsvLayout layout) {
        if (bytes.length > MAX_BYTES) {
            throw new InvalidMessageException(
                    "export of " + bytes.length + " bytes exceeds the limit of " + MAX_BYTES + " bytes");
        }
        String text = decode(bytes, layout);
        CSVFormat format = CSVFormat.DEFAULT
                .builder()
                .setDelimiter(layout.delimiter())
                .setHeader()
                .setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true)
                .setTrim(true)
                .get();
        try (CSVParser parser = format.parse(new StringReader(text))) {
            checkHeader(parser.getHeaderNames(), layout);
            List<DirectoryRow> rows = new ArrayList<>();
            List<RowProblem> problems = new ArrayList<>();
            for (CSVRecord record : parser) {
                readRow(record, layout, rows, problems);
            }
            return new CsvReadResult(rows, problems);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new InvalidMessageException("not a readable CSV export: " + e.getMessage(), e);
        }
    }

    private static void readRow(
            CSVRecord record, CsvLayout layout, List<DirectoryRow> rows, List<RowProblem> problems) {
        long line = record.getRecordNumber() + 1;
        Map<DirectoryField, String> values = new EnumMap<>(DirectoryField.class);
        List<RowProblem> rowProblems = new ArrayList<>();
        for (DirectoryField field : DirectoryField.values()) {
            String column = layout.columns().get(field);
            if (column == null) {
                continue;
            }
            String value = record.isSet(column) ? record.get(column) : "";
            if (value.isBlank()) {
                if (field.required()) {
                    rowProblems.add(new RowProblem(line, column, "required value is empty"));
                }
                continue;
            }
            problemWith(field, value).ifPresent(reason -> rowProblems.add(new RowProblem(line, column, reason)));
            values.put(field, value);
        }
        if (rowProblems.isEmpty()) {
            rows.add(new DirectoryRow(line, values));
        } else {
            problems.addAll(rowProblems);
        }
    }

    private static java.util.Optional<String> problemWith(DirectoryField field, String value) {
        return switch (field) {
            case ACCEPTS_CROSS_BORDER -> CrossBorderFlagTranslator.toBoolean(value)
                            .isPresent()
                    ? java.util.Optional.empty()
                    : java.util.Optional.of("'" + value + "' is not a yes/no answer");
            case LANGUAGES -> {
                for (String code : value.split(",")) {
                    if (!LANGUAGE_CODE.matcher(code.strip()).matches()) {
                        yield java.util.Optional.of("'" + code.strip() + "' is not an ISO 639-1 language code");
                    }
                }
                yield java.util.Optional.empty();
            }
            default -> java.util.Optional.empty();
        };
    }

    private static void checkHeader(List<String> header, CsvLayout layout) {
        List<String> missing = layout.columns().values().stream()
                .filter(column -> !header.contains(column))
                .sorted()
                .toList();
        if (!missing.isEmpty()) {
            throw new InvalidMessageException("wrong column set: missing " + missing + "; the file has " + header);
        }
    }

    private static String decode(byte[] bytes, CsvLayout layout) {
        int offset = hasUtf8Bom(bytes) ? 3 : 0;
        if (!layout.charset().equals(StandardCharsets.UTF_8) && (offset == 3 || looksLikeUtf8(bytes))) {
            throw new InvalidMessageException("the export is UTF-8 encoded but the partner's layout declares "
                    + layout.charset().name() + "; fix the export or the layout");
        }
        CharsetDecoder decoder = layout.charset()
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidMessageException("the export is not valid "
                    + layout.charset().name() + " (declared in the partner's layout): " + e.getMessage());
        }
    }

    private static boolean hasUtf8Bom(byte[] bytes) {
        return bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF;
    }

    /** True when the bytes decode as UTF-8 and contain at least one multi-byte sequence. */
    private static boolean looksLikeUtf8(byte[] bytes) {
        boolean multiByte = false;
        for (byte b : bytes) {
            if (b < 0) {
                multiByte = true;
                break;
            }
        }
        if (!multiByte) {
            return false;
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
