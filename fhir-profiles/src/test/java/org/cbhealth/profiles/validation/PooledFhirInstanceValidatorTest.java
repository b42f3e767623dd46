package org.cbhealth.profiles.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pooled instance validator gives the stock HAPI {@link FhirInstanceValidator}'s results, issue for issue
 * (severity, location, line and column, message, message id, slice messages) and in the same order, for the
 * profiles' good and bad examples and for hand-made bad resources (bad codes, unknown profiles and extensions,
 * Bundles, XML, unreadable XML) — validated again and again by the same reused validator, in changing order
 * and on several threads at once, so that state left over from one validation would show in the next.
 */
class PooledFhirInstanceValidatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String RETIRED_EXTENSION =
            "https://cbhealth.example/fhir/StructureDefinition/test-retired-note";

    private static CbhConformanceResources conformance;
    private static IValidationSupport chain;
    private static Map<String, Input> inputs;
    private static Map<String, List<String>> stockResults;

    /** A case: raw text (as a partner sends it) or a resource, validated against its type's CBHealth profile. */
    record Input(String name, String text, IBaseResource resource) {}

    @BeforeAll
    static void validateEveryInputWithStockHapi() throws Exception {
        conformance = CbhConformanceResources.load(FHIR);
        chain = chainWithRetiredExtension(CbhValidationSupport.create(FHIR, conformance));
        inputs = new LinkedHashMap<>();
        exampleFiles().forEach(file -> add(new Input(file, read(file), null)));
        exampleFiles()
                .limit(6)
                .forEach(file -> add(new Input(
                        file + " as XML",
                        FHIR.newXmlParser()
                                .encodeResourceToString(FHIR.newJsonParser().parseResource(read(file))),
                        null)));
        handMadeInputs().forEach(PooledFhirInstanceValidatorTest::add);
        FhirValidator stock = validator(configured(new FhirInstanceValidator(chain)));
        stockResults = new LinkedHashMap<>();
        inputs.values().forEach(input -> stockResults.put(input.name(), issues(stock, input)));
        if (Boolean.getBoolean("cbh.printStockIssues")) {
            stockResults.forEach((name, issues) -> System.out.println(name + " -> " + issues));
        }
    }

    @Test
    void shouldCoverGoodAndBadInputs() {
        assertThat(inputs).hasSizeGreaterThan(40);
        assertThat(stockResults.values().stream()
                        .filter(issues -> issues.stream().noneMatch(PooledFhirInstanceValidatorTest::isError)))
                .hasSizeGreaterThan(10);
        assertThat(stockResults.values().stream()
                        .filter(issues -> issues.stream().anyMatch(PooledFhirInstanceValidatorTest::isError)))
                .hasSizeGreaterThan(25);
        assertThat(stockResults.get("retired extension")).anyMatch(issue -> issue.contains("MSG_DEPENDS_ON_RETIRED"));
        assertThat(stockResults.get("unreadable XML"))
                .singleElement()
                .asString()
                .startsWith("FATAL");
    }

    @Test
    void shouldGiveStockResultsWhenOneValidatorIsReusedForEverything() {
        PooledFhirInstanceValidator pooled = configured(new PooledFhirInstanceValidator(chain, 1, 100_000));
        FhirValidator validator = validator(pooled);
        List<Input> order = new ArrayList<>(inputs.values());
        for (int pass = 0; pass < 3; pass++) {
            for (Input input : order) {
                assertThat(issues(validator, input)).as(input.name()).isEqualTo(stockResults.get(input.name()));
                assertThat(issues(validator, input))
                        .as(input.name() + ", again")
                        .isEqualTo(stockResults.get(input.name()));
            }
            Collections.reverse(order);
            Collections.shuffle(order, new Random(pass));
        }
        assertThat(pooled.builtValidators()).isEqualTo(1);
    }

    @Test
    void shouldReportARetiredExtensionOnEveryValidationNotOnlyTheFirst() {
        FhirValidator validator = validator(configured(new PooledFhirInstanceValidator(chain, 1, 100)));
        Input input = inputs.get("retired extension");

        List<String> first = issues(validator, input);
        List<String> second = issues(validator, input);

        assertThat(first).anyMatch(issue -> issue.contains("MSG_DEPENDS_ON_RETIRED"));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldGiveStockResultsOnFourThreadsWhileRetiringValidators() throws Exception {
        PooledFhirInstanceValidator pooled = configured(new PooledFhirInstanceValidator(chain, 2, 7));
        FhirValidator validator = validator(pooled);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> mismatches = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                List<Input> order = new ArrayList<>(inputs.values());
                Collections.shuffle(order, new Random(100 + t));
                mismatches.add(threads.submit(() -> order.stream()
                        .filter(input -> !issues(validator, input).equals(stockResults.get(input.name())))
                        .map(Input::name)
                        .toList()));
            }
            for (Future<List<String>> mismatch : mismatches) {
                assertThat(mismatch.get(5, TimeUnit.MINUTES)).isEmpty();
            }
        } finally {
            threads.shutdownNow();
        }
        int validations = 4 * inputs.size();
        assertThat(pooled.builtValidators()).isBetween((long) validations / 7, (long) validations);
    }

    @Test
    void shouldBuildAFreshValidatorAfterInvalidateCachesOrAChangedSetting() {
        PooledFhirInstanceValidator pooled = configured(new PooledFhirInstanceValidator(chain, 1, 100));
        FhirValidator validator = validator(pooled);
        Input input = inputs.values().iterator().next();

        issues(validator, input);
        issues(validator, input);
        assertThat(pooled.builtValidators()).isEqualTo(1);
        pooled.invalidateCaches();
        issues(validator, input);
        assertThat(pooled.builtValidators()).isEqualTo(2);
        pooled.setAnyExtensionsAllowed(false);
        issues(validator, input);
        issues(validator, input);
        assertThat(pooled.builtValidators()).isEqualTo(3);
    }

    private static <T extends FhirInstanceValidator> T configured(T instanceValidator) {
        instanceValidator.setAnyExtensionsAllowed(true);
        instanceValidator.setErrorForUnknownProfiles(false);
        instanceValidator.setAssumeValidRestReferences(true);
        return instanceValidator;
    }

    private static FhirValidator validator(IValidatorModule instanceValidator) {
        FhirValidator validator = FHIR.newValidator();
        validator.registerValidatorModule(instanceValidator);
        validator.setConcurrentBundleValidation(false);
        return validator;
    }

    private static List<String> issues(FhirValidator validator, Input input) {
        IBaseResource resource = input.resource() != null ? input.resource() : parseQuietly(input.text());
        ValidationOptions options = new ValidationOptions();
        if (resource != null) {
            conformance.profileFor(resource.fhirType()).ifPresent(options::addProfile);
        }
        List<SingleValidationMessage> messages = input.resource() != null
                ? validator.validateWithResult(input.resource(), options).getMessages()
                : validator.validateWithResult(input.text(), options).getMessages();
        return messages.stream().map(PooledFhirInstanceValidatorTest::describe).toList();
    }

    private static boolean isError(String issue) {
        return issue.startsWith("ERROR") || issue.startsWith("FATAL");
    }

    private static String describe(SingleValidationMessage m) {
        return String.join(
                " | ",
                String.valueOf(m.getSeverity()),
                m.getLocationString(),
                m.getLocationLine() + ":" + m.getLocationCol(),
                m.getMessage(),
                m.getMessageId(),
                String.valueOf(m.getSliceMessages()));
    }

    private static IBaseResource parseQuietly(String text) {
        try {
            return text.startsWith("<")
                    ? FHIR.newXmlParser().parseResource(text)
                    : FHIR.newJsonParser().parseResource(text);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static void add(Input input) {
        inputs.put(input.name(), input);
    }

    private static Stream<Input> handMadeInputs() {
        Organization valid = (Organization) FHIR.newJsonParser().parseResource(read("cbh-organization/valid-1.json"));
        Patient patient = (Patient) FHIR.newJsonParser().parseResource(read("cbh-patient/valid-1.json"));
        Patient badEgn = (Patient) FHIR.newJsonParser().parseResource(read("cbh-patient/invalid-egn-check-digit.json"));
        Organization noName =
                (Organization) FHIR.newJsonParser().parseResource(read("cbh-organization/invalid-missing-name.json"));
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        List<org.hl7.fhir.r4.model.Resource> entries = List.of(valid, patient, badEgn, noName);
        for (int i = 0; i < entries.size(); i++) {
            transaction
                    .addEntry()
                    .setFullUrl("urn:uuid:00000000-0000-4000-8000-00000000000" + i)
                    .setResource(entries.get(i).copy().setId((String) null))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl(entries.get(i).fhirType());
        }
        Bundle searchset = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        searchset.addEntry().setResource(valid.copy());
        searchset.addEntry().setResource(noName.copy());
        return Stream.of(
                new Input("transaction Bundle", null, transaction),
                new Input("searchset Bundle without fullUrls", null, searchset),
                new Input("Organization resource", null, valid),
                new Input(
                        "bad gender code",
                        "{\"resourceType\":\"Patient\",\"gender\":\"sometimes\",\"birthDate\":\"1975-01-02\"}",
                        null),
                new Input(
                        "bad date and unknown element",
                        "{\"resourceType\":\"Patient\",\"birthDate\":\"1975-13-40\",\"colour\":\"blue\"}",
                        null),
                new Input(
                        "unknown extension",
                        "{\"resourceType\":\"Organization\",\"name\":\"Klinika\",\"extension\":[{\"url\":"
                                + "\"https://unknown.example/ext\",\"valueString\":\"x\"}]}",
                        null),
                new Input(
                        "unknown modifier extension",
                        "{\"resourceType\":\"Organization\",\"name\":\"Klinika\",\"modifierExtension\":[{\"url\":"
                                + "\"https://unknown.example/mod\",\"valueBoolean\":true}]}",
                        null),
                new Input(
                        "declared unknown profile",
                        "{\"resourceType\":\"Organization\",\"meta\":{\"profile\":[\"https://unknown.example/"
                                + "StructureDefinition/nothing\"]},\"name\":\"Klinika\"}",
                        null),
                new Input(
                        "declared CBHealth profile on a Basic",
                        "{\"resourceType\":\"Basic\",\"meta\":{\"profile\":[\"" + profileUrl("Organization")
                                + "\"]},\"code\":{\"text\":\"x\"}}",
                        null),
                new Input(
                        "bad coding system and code",
                        "{\"resourceType\":\"Organization\",\"name\":\"Klinika\",\"type\":[{\"coding\":[{\"system\":"
                                + "\"http://terminology.hl7.org/CodeSystem/organization-type\",\"code\":\"nope\"},"
                                + "{\"system\":\"urn:oid:2.16.840.1.113883.6.96\",\"code\":\"1\"}]}]}",
                        null),
                new Input(
                        "retired extension",
                        "{\"resourceType\":\"Organization\",\"name\":\"Klinika\",\"extension\":[{\"url\":\""
                                + RETIRED_EXTENSION + "\",\"valueString\":\"note\"}]}",
                        null),
                new Input(
                        "XML with declared profile",
                        "<Organization xmlns=\"http://hl7.org/fhir\"><meta><profile value=\""
                                + profileUrl("Organization") + "\"/></meta><active value=\"yes\"/></Organization>",
                        null),
                new Input("unreadable XML", "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"female\"/>", null));
    }

    private static String profileUrl(String type) {
        return conformance.profileFor(type).orElseThrow();
    }

    /** The CBHealth chain plus an extension whose definition is retired, which the validator hints at. */
    private static IValidationSupport chainWithRetiredExtension(ValidationSupportChain cbh) {
        StructureDefinition extension = new StructureDefinition();
        extension.setUrl(RETIRED_EXTENSION);
        extension.setName("TestRetiredNote");
        extension.setStatus(PublicationStatus.RETIRED);
        extension.setKind(StructureDefinition.StructureDefinitionKind.COMPLEXTYPE);
        extension.setAbstract(false);
        extension.setType("Extension");
        extension.setBaseDefinition("http://hl7.org/fhir/StructureDefinition/Extension");
        extension.setDerivation(StructureDefinition.TypeDerivationRule.CONSTRAINT);
        extension.setFhirVersion(org.hl7.fhir.r4.model.Enumerations.FHIRVersion._4_0_1);
        extension
                .addContext()
                .setType(StructureDefinition.ExtensionContextType.ELEMENT)
                .setExpression("Organization");
        element(extension, "Extension");
        element(extension, "Extension.extension").setMax("0");
        element(extension, "Extension.url").setFixed(new org.hl7.fhir.r4.model.UriType(RETIRED_EXTENSION));
        element(extension, "Extension.value[x]").addType().setCode("string");
        IBaseResource withSnapshot = cbh.generateSnapshot(
                new ValidationSupportContext(cbh), extension, RETIRED_EXTENSION, null, extension.getName());
        PrePopulatedValidationSupport test = new PrePopulatedValidationSupport(FHIR);
        test.addStructureDefinition(withSnapshot);
        return new ValidationSupportChain(test, cbh);
    }

    private static ElementDefinition element(StructureDefinition profile, String path) {
        ElementDefinition element = profile.getDifferential().addElement().setPath(path);
        element.setId(path);
        return element;
    }

    private static Stream<String> exampleFiles() {
        try {
            URL root = PooledFhirInstanceValidatorTest.class.getResource("/examples");
            Path examples = Path.of(root.toURI());
            try (Stream<Path> files = Files.walk(examples)) {
                return files
                        .filter(f -> f.toString().endsWith(".json"))
                        .map(f -> examples.relativize(f).toString().replace('\\', '/'))
                        .sorted()
                        .toList()
                        .stream();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(String file) {
        try (InputStream in = PooledFhirInstanceValidatorTest.class.getResourceAsStream("/examples/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
