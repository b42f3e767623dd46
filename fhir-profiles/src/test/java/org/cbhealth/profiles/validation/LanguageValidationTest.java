package org.cbhealth.profiles.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The partners' languages are valid language codes wherever FHIR binds to its language value sets. */
class LanguageValidationTest {

    private static CbhResourceValidator validator;

    @BeforeAll
    static void build() {
        FhirContext fhir = FhirContext.forR4Cached();
        validator = new CbhResourceValidator(fhir, CbhConformanceResources.load(fhir));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bg", "mk", "uk", "ru", "sl", "de", "pl", "lt", "lv", "et", "fi", "sv", "en", "sr-Latn"})
    void shouldAcceptEveryPartnerLanguage(String language) {
        assertThat(errors(patientSpeaking(language))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bg", "mk", "uk", "sl", "et"})
    void shouldAcceptPartnerLanguagesWhereTheProfileRequiresALanguage(String language) {
        assertThat(errors(serviceSpeaking(language))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"xx", "bulgarian", "b_g"})
    void shouldRefuseWhatIsNotALanguageWhereTheProfileRequiresALanguage(String language) {
        assertThat(errors(serviceSpeaking(language))).isNotEmpty().allSatisfy(error -> assertThat(
                        error.getLocationString())
                .isEqualTo("HealthcareService.communication[0]"));
    }

    private static HealthcareService serviceSpeaking(String language) {
        HealthcareService service =
                new HealthcareService().setName("Кардиология").setActive(true);
        service.setProvidedBy(new Reference("Organization/mbal-blagoevgrad"));
        service.addSpecialty().addCoding().setSystem(CbhCanonical.CS_SPECIALTY).setCode("cardiology");
        service.addCommunication().addCoding().setSystem("urn:ietf:bcp:47").setCode(language);
        service.addExtension()
                .setUrl(CbhCanonical.EXT_CROSS_BORDER_REFERRAL)
                .addExtension("accepts", new BooleanType(true));
        return service;
    }

    private static Patient patientSpeaking(String language) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(CbhCanonical.SID_BG_EGN).setValue("7501024918");
        patient.addName().setFamily("Иванова");
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new DateType("1975-01-02"));
        patient.addCommunication()
                .getLanguage()
                .addCoding()
                .setSystem("urn:ietf:bcp:47")
                .setCode(language);
        return patient;
    }

    private static List<SingleValidationMessage> errors(IBaseResource resource) {
        return validator.validate(resource).getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR)
                .toList();
    }
}
