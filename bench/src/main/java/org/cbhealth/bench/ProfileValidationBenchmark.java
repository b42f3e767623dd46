package org.cbhealth.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.concurrent.TimeUnit;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.profiles.validation.CbhResourceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of validating one resource against its CBHealth profile, warm (validator built and warmed once, as
 * in the hub): parse the partner's JSON, validate, serialise — beside the baseline that only parses and
 * serialises with HAPI. The ratio baseline/hub is the share of throughput validation leaves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProfileValidationBenchmark {

    private FhirContext fhirContext;
    private CbhResourceValidator validator;
    private String organizationJson;
    private String patientJson;

    @Setup
    public void setUp() {
        fhirContext = FhirContext.forR4();
        validator = new CbhResourceValidator(fhirContext, CbhConformanceResources.load(fhirContext));
        validator.warm();
        Organization organization =
                new Organization().setName("МБАЛ „Благоевград“ АД").setActive(true);
        organization.addIdentifier().setSystem("urn:oid:1.2.100.2").setValue("101004535");
        organization.addAddress().setCity("Благоевград").setPostalCode("2700").setCountry("BG");
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(CbhCanonical.SID_BG_EGN).setValue("7501024918");
        patient.addName().setFamily("Иванова").addGiven("Мария");
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new DateType("1975-01-02"));
        organizationJson = fhirContext.newJsonParser().encodeResourceToString(organization);
        patientJson = fhirContext.newJsonParser().encodeResourceToString(patient);
        requireValid(organizationJson);
        requireValid(patientJson);
    }

    @Benchmark
    public String validateOrganization() {
        return parseValidateSerialise(organizationJson);
    }

    @Benchmark
    public String parseAndSerialiseOrganization() {
        return parseAndSerialise(organizationJson);
    }

    @Benchmark
    public String validatePatient() {
        return parseValidateSerialise(patientJson);
    }

    @Benchmark
    public String parseAndSerialisePatient() {
        return parseAndSerialise(patientJson);
    }

    private String parseValidateSerialise(String json) {
        IParser parser = fhirContext.newJsonParser();
        IBaseResource resource = parser.parseResource(json);
        ValidationResult result = validator.validate(resource);
        if (!result.isSuccessful()) {
            throw new IllegalStateException("benchmark input became invalid");
        }
        return parser.encodeResourceToString(resource);
    }

    private String parseAndSerialise(String json) {
        IParser parser = fhirContext.newJsonParser();
        return parser.encodeResourceToString(parser.parseResource(json));
    }

    private void requireValid(String json) {
        ValidationResult result = validator.validate(fhirContext.newJsonParser().parseResource(json));
        result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR)
                .findFirst()
                .ifPresent(m -> {
                    throw new IllegalStateException("benchmark input invalid: " + m.getMessage());
                });
    }
}
