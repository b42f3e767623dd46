package org.cbhealth.bench.translation;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.routes.directory.CsvLayout;
import org.cbhealth.routes.directory.CsvReadResult;
import org.cbhealth.routes.directory.DepartmentTranslator;
import org.cbhealth.routes.directory.DirectoryCsvReader;
import org.cbhealth.routes.directory.DirectoryRow;
import org.cbhealth.routes.directory.SpecialtyMapper;
import org.cbhealth.routes.translate.CsvDirectoryTranslator;
import org.cbhealth.routes.translate.Translation;
import org.cbhealth.routes.translate.TranslationContext;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost per row of the hub's CSV directory translation ({@link CsvDirectoryTranslator}, as the hub builds it) on the
 * two partner sample exports, each whole file translated per invocation and the time divided by its data rows
 * ({@link OperationsPerInvocation}): the Bulgarian export (windows-1251, 6 rows of which the last is refused) and the
 * North Macedonian one (UTF-8, 5 rows, specialties by name only). The resources are then serialised to JSON. Beside
 * each, the baseline: the same bytes decoded in the same character set and parsed by the same Commons CSV format,
 * every value read, and the same resources (translated once in {@link #setUp()}) serialised with HAPI. The
 * {@code csv…Step…} benchmarks time the hub's steps alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CsvDirectoryTranslationBenchmark {

    static final int BG_ROWS = 6;
    static final int MK_ROWS = 5;

    /** One partner's export with the context the hub would translate it in. */
    record Export(byte[] bytes, TranslationContext context, CsvLayout layout, CsvReadResult read, List<Resource> out) {}

    private FhirContext fhirContext;
    private CsvDirectoryTranslator translator;
    private DepartmentTranslator departments;
    private final DirectoryCsvReader reader = new DirectoryCsvReader();
    private Export bg;
    private Export mk;

    @Setup
    public void setUp() {
        fhirContext = FhirContext.forR4();
        departments = new DepartmentTranslator(
                new SpecialtyMapper(CbhConformanceResources.load(fhirContext).all()));
        translator = new CsvDirectoryTranslator(departments);
        bg = export(
                "/directory/bg-mbal-blagoevgrad-departments-cp1251.csv",
                context("bg-mbal-blagoevgrad", CbhCanonical.CS_BG_NHIF_SPECIALTY, blagoevgradSettings()),
                BG_ROWS);
        mk = export(
                "/directory/mk-kb-stip-departments.csv",
                context("mk-kb-stip", CbhCanonical.CS_MK_SPECIALTY, stipSettings()),
                MK_ROWS);
    }

    @Benchmark
    @OperationsPerInvocation(BG_ROWS)
    public void csvBgTranslate(Blackhole out) {
        translateAndSerialise(bg, out::consume);
    }

    @Benchmark
    @OperationsPerInvocation(BG_ROWS)
    public void csvBgParseSerialise(Blackhole out) {
        parseAndSerialise(bg, out::consume);
    }

    @Benchmark
    @OperationsPerInvocation(BG_ROWS)
    public CsvReadResult csvBgStepRead() {
        return read(bg);
    }

    @Benchmark
    @OperationsPerInvocation(BG_ROWS)
    public void csvBgStepTranslate(Blackhole out) {
        translateRows(bg, out::consume);
    }

    @Benchmark
    @OperationsPerInvocation(BG_ROWS)
    public void csvBgStepSerialise(Blackhole out) {
        serialise(bg.out(), out::consume);
    }

    @Benchmark
    @OperationsPerInvocation(MK_ROWS)
    public void csvMkTranslate(Blackhole out) {
        translateAndSerialise(mk, out::consume);
    }

    @Benchmark
    @OperationsPerInvocation(MK_ROWS)
    public void csvMkParseSerialise(Blackhole out) {
        parseAndSerialise(mk, out::consume);
    }

    @Benchmark
    @OperationsPerInvocation(MK_ROWS)
    public CsvReadResult csvMkStepRead() {
        return read(mk);
    }

    @Benchmark
    @OperationsPerInvocation(MK_ROWS)
    public void csvMkStepTranslate(Blackhole out) {
        translateRows(mk, out::consume);
    }

    @Benchmark
    @OperationsPerInvocation(MK_ROWS)
    public void csvMkStepSerialise(Blackhole out) {
        serialise(mk.out(), out::consume);
    }

    /** The hub: {@link CsvDirectoryTranslator#translate} (layout from the settings, read, translate), serialised. */
    List<Resource> translateAndSerialise(Export export, Consumer<Object> out) {
        Translation translation = translator.translate(export.bytes(), export.context());
        serialise(translation.resources(), out);
        return translation.resources();
    }

    /** The baseline: decode, parse with the hub's Commons CSV format, read every value; serialise the same output. */
    int parseAndSerialise(Export export, Consumer<Object> out) {
        int records = 0;
        try (CSVParser parser = format(export.layout()).parse(new StringReader(decode(export)))) {
            for (CSVRecord record : parser) {
                for (String value : record) {
                    out.accept(value);
                }
                records++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        serialise(export.out(), out);
        return records;
    }

    CsvReadResult read(Export export) {
        return reader.read(
                export.bytes(), CsvDirectoryTranslator.layout(export.context().settings()));
    }

    void translateRows(Export export, Consumer<Object> out) {
        DepartmentTranslator.Partner partner = partner(export.context());
        for (DirectoryRow row : export.read().rows()) {
            out.accept(departments.translate(row, partner));
        }
    }

    void serialise(List<Resource> resources, Consumer<Object> out) {
        for (Resource resource : resources) {
            out.accept(fhirContext.newJsonParser().encodeResourceToString(resource));
        }
    }

    Export bg() {
        return bg;
    }

    Export mk() {
        return mk;
    }

    /** The format {@link DirectoryCsvReader} parses with. */
    private static CSVFormat format(CsvLayout layout) {
        return CSVFormat.DEFAULT
                .builder()
                .setDelimiter(layout.delimiter())
                .setHeader()
                .setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true)
                .setTrim(true)
                .get();
    }

    private static String decode(Export export) {
        try {
            return export.layout()
                    .charset()
                    .newDecoder()
                    .decode(ByteBuffer.wrap(export.bytes()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(
                    "benchmark input is not " + export.layout().charset(), e);
        }
    }

    /** As {@link CsvDirectoryTranslator} builds it from the context. */
    private static DepartmentTranslator.Partner partner(TranslationContext context) {
        return new DepartmentTranslator.Partner(
                context.partnerId(),
                context.organization(),
                context.localSpecialtySystem(),
                String.valueOf(context.settings().getOrDefault("language", context.defaultLanguage())));
    }

    private Export export(String path, TranslationContext context, int rows) {
        byte[] bytes = RefI12TranslationBenchmark.resource(path);
        CsvLayout layout = CsvDirectoryTranslator.layout(context.settings());
        CsvReadResult read = reader.read(bytes, layout);
        Translation translation = translator.translate(bytes, context);
        Export export = new Export(bytes, context, layout, read, translation.resources());
        int parsed = parseAndSerialise(export, value -> {});
        if (parsed != rows || read.rows().size() + rowsRefused(read) != rows) {
            throw new IllegalStateException(path + " has " + parsed + " data rows, the benchmark divides by " + rows);
        }
        return export;
    }

    private static int rowsRefused(CsvReadResult read) {
        return (int)
                read.problems().stream().mapToLong(p -> p.line()).distinct().count();
    }

    private static TranslationContext context(String partnerId, String specialtySystem, Map<String, Object> settings) {
        return new TranslationContext(
                partnerId,
                "departments",
                new Reference("Organization/" + partnerId),
                specialtySystem,
                String.valueOf(settings.get("language")),
                settings,
                Map.of());
    }

    /** The Bulgarian demo partner's channel settings ({@code hub/src/main/resources/demo-partners}). */
    static Map<String, Object> blagoevgradSettings() {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("department-code", "Код");
        columns.put("department-name", "Отделение");
        columns.put("specialty-code", "Код специалност");
        columns.put("specialty-text", "Специалност");
        columns.put("head-name", "Началник");
        columns.put("head-id", "УИН");
        columns.put("phone", "Телефон");
        columns.put("accepts-cross-border", "Приема пациенти от чужбина");
        return Map.of("charset", "windows-1251", "delimiter", ";", "language", "bg", "columns", columns);
    }

    /** The North Macedonian demo partner's channel settings (UTF-8 and {@code ;} by default). */
    static Map<String, Object> stipSettings() {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("department-code", "Шифра");
        columns.put("department-name", "Назив на одделение");
        columns.put("specialty-text", "Специјалност");
        columns.put("head-name", "Раководител");
        columns.put("phone", "Телефон");
        columns.put("email", "Е-пошта");
        columns.put("languages", "Јазици");
        columns.put("accepts-cross-border", "Прима прекугранични упати");
        return Map.of("language", "mk", "columns", columns);
    }
}
