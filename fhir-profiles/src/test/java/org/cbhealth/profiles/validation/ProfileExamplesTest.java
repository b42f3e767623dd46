package org.cbhealth.profiles.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each profile's examples: the valid one has no error; each invalid one has errors only at the exact location
 * of its one deliberate mistake, as listed in {@code examples/expected-errors.csv}, one of them naming it.
 */
class ProfileExamplesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final List<String> PROFILES = List.of(
            "cbh-organization",
            "cbh-location",
            "cbh-healthcareservice",
            "cbh-practitioner",
            "cbh-practitionerrole",
            "cbh-endpoint",
            "cbh-organizationaffiliation",
            "cbh-patient",
            "cbh-servicerequest",
            "cbh-task");

    private static CbhResourceValidator validator;

    @BeforeAll
    static void buildValidatorOnce() {
        validator = new CbhResourceValidator(FHIR, CbhConformanceResources.load(FHIR));
    }

    static Stream<String> validExamples() {
        return PROFILES.stream().map(p -> p + "/valid-1.json");
    }

    static Stream<Arguments> invalidExamples() throws IOException {
        return read("expected-errors.csv")
                .lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split(";", 3))
                .map(f -> Arguments.of(f[0], f[1], f[2]));
    }

    @ParameterizedTest(name = "{0} has no error")
    @MethodSource("validExamples")
    void shouldAcceptValidExample(String file) throws IOException {
        List<SingleValidationMessage> errors = errors(file);

        assertThat(errors).as(describe(errors)).isEmpty();
    }

    @ParameterizedTest(name = "{0}: error at {1}")
    @MethodSource("invalidExamples")
    void shouldReportTheDeliberateErrorAtItsExactLocation(String file, String location, String fragment)
            throws IOException {
        List<SingleValidationMessage> errors = errors(file);

        assertThat(errors).as(describe(errors)).isNotEmpty();
        assertThat(errors).as(describe(errors)).allSatisfy(error -> assertThat(error.getLocationString())
                .isEqualTo(location));
        assertThat(errors).as(describe(errors)).anySatisfy(error -> assertThat(error.getMessage())
                .contains(fragment));
    }

    @org.junit.jupiter.api.Test
    void everyProfileHasOneValidAndTwoInvalidExamples() throws IOException {
        List<String> invalid = invalidExamples().map(a -> (String) a.get()[0]).toList();

        for (String profile : PROFILES) {
            assertThat(resource(profile + "/valid-1.json"))
                    .as(profile + " valid example")
                    .isNotNull();
            assertThat(invalid)
                    .filteredOn(f -> f.startsWith(profile + "/"))
                    .as(profile)
                    .hasSize(2);
        }
    }

    private static List<SingleValidationMessage> errors(String file) throws IOException {
        IBaseResource resource = FHIR.newJsonParser().parseResource(read(file));
        return validator.validate(resource).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
    }

    private static String describe(List<SingleValidationMessage> errors) {
        return errors.stream()
                .map(m -> m.getLocationString() + " | " + m.getMessage())
                .toList()
                .toString();
    }

    private static String read(String file) throws IOException {
        try (InputStream in = resource(file)) {
            assertThat(in).as(file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream resource(String file) {
        return ProfileExamplesTest.class.getResourceAsStream("/examples/" + file);
    }
}
