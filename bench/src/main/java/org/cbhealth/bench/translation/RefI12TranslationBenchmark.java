package org.cbhealth.bench.translation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.REF_I12;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.profiles.identifier.NationalIdentifiers;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.routes.directory.SpecialtyMapper;
import org.cbhealth.routes.hl7.Hl7v2Reader;
import org.cbhealth.routes.referral.NationalIdentifierCheck;
import org.cbhealth.routes.referral.RefI12Checker;
import org.cbhealth.routes.referral.RefI12Translator;
import org.cbhealth.routes.translate.TranslationContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of the hub's REF^I12 translation of the sample Bulgarian referral, done as
 * {@code org.cbhealth.hub.partner.PartnerTranslators} does it — {@link Hl7v2Reader} (HAPI HL7 v2 parse and the
 * reader's MSH checks), {@link RefI12Checker} (birth date, national identifier check digits), a
 * {@link RefI12Translator} built for the message — then the transaction Bundle serialised to JSON. Beside it, the
 * baseline: HAPI HL7 v2's {@link PipeParser} with the hub's settings parses the same text, and HAPI FHIR serialises
 * the same Bundle, translated once in {@link #setUp()}. The {@code refI12Step…} benchmarks time the hub's steps
 * alone, so the report can say where the difference goes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RefI12TranslationBenchmark {

    /** The registry identifier (EMBS) the sample's referred-to PRD names: the North Macedonian hospital. */
    static final String DESTINATION_IDENTIFIER = "4068491";

    private FhirContext fhirContext;
    private byte[] message;
    private Hl7v2Reader reader;
    private RefI12Checker checker;
    private CbhConformanceResources conformance;
    private SpecialtyMapper specialties;
    private TranslationContext context;
    private PipeParser baselineParser;
    private REF_I12 parsed;
    private Bundle translated;

    @Setup
    public void setUp() {
        fhirContext = FhirContext.forR4();
        conformance = CbhConformanceResources.load(fhirContext);
        specialties = new SpecialtyMapper(conformance.all());
        message = resource("/referral/ref-i12-bg-to-mk.hl7");
        reader = new Hl7v2Reader(Set.of("REF^I12"));
        NationalIdentifierCheck identifiers = (system, value) ->
                Optional.ofNullable(NationalIdentifiers.check(system, value).problem());
        checker = new RefI12Checker(
                conformance::identifierSystemForOid, identifiers, () -> LocalDate.now(ZoneOffset.UTC));
        context = new TranslationContext(
                "bg-mbal-blagoevgrad",
                "referrals",
                new Reference("Organization/bg-mbal-blagoevgrad"),
                CbhCanonical.CS_BG_NHIF_SPECIALTY,
                "bg",
                Map.of(),
                Map.of());
        baselineParser = hubHl7Context().getPipeParser();
        parsed = readAndCheck();
        translated = translate(parsed);
        if (translated.getEntry().size() != 7) {
            throw new IllegalStateException(
                    "the sample referral no longer translates to the 7 entries expected, but to "
                            + translated.getEntry().size());
        }
    }

    /** The hub: read and check the HL7 v2 text, translate it, serialise the Bundle. */
    @Benchmark
    public String refI12Translate() {
        return serialise(translate(readAndCheck()));
    }

    /** The baseline: parse the same text with HAPI HL7 v2, serialise the same Bundle with HAPI FHIR. */
    @Benchmark
    public String refI12ParseSerialise() throws HL7Exception {
        Message message = baselineParser.parse(new String(this.message, StandardCharsets.UTF_8));
        if (message == null) {
            throw new IllegalStateException("no message parsed");
        }
        return serialise(translated);
    }

    /** Step of the hub alone: {@link Hl7v2Reader} and {@link RefI12Checker}. */
    @Benchmark
    public REF_I12 refI12StepReadAndCheck() {
        return readAndCheck();
    }

    /** Step of the hub alone: {@link RefI12Translator} on the message parsed once. */
    @Benchmark
    public Bundle refI12StepTranslate() {
        return translate(parsed);
    }

    /** Step of the hub alone (and of the baseline): the Bundle serialised to JSON. */
    @Benchmark
    public String refI12StepSerialise() {
        return serialise(translated);
    }

    REF_I12 readAndCheck() {
        REF_I12 referral = (REF_I12) reader.read(new String(message, StandardCharsets.UTF_8));
        checker.check(referral);
        return referral;
    }

    Bundle translate(REF_I12 referral) {
        RefI12Translator translator = new RefI12Translator(
                conformance::identifierSystemForOid,
                specialties,
                (value, type, name) -> DESTINATION_IDENTIFIER.equals(value)
                        ? Optional.of(new Reference("Organization/mk-kb-stip"))
                        : Optional.empty());
        return translator.translate(referral, context);
    }

    String serialise(Bundle bundle) {
        return fhirContext.newJsonParser().encodeResourceToString(bundle);
    }

    /**
     * The HAPI HL7 v2 context the hub parses with (as {@code Hl7v2Reader.hl7Context()}, which is not public): the
     * 2.5.1 model for every version, no conformance-profile validation, message ids generated in memory.
     */
    static HapiContext hubHl7Context() {
        HapiContext context = new DefaultHapiContext(new CanonicalModelClassFactory(Hl7v2Reader.VERSION));
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        return context;
    }

    static byte[] resource(String path) {
        try (InputStream in = RefI12TranslationBenchmark.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("benchmark input " + path + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
