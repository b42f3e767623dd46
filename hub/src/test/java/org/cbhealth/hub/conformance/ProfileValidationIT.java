package org.cbhealth.hub.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cbhealth.hub.support.DirectoryFixtures.organization;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.NamingSystem;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.UriType;
import org.junit.jupiter.api.Test;

/** Every write to /fhir is validated against the CBHealth profiles; the conformance content is served. */
class ProfileValidationIT extends HubIntegrationTest {

    @Test
    void organizationWithoutNameIsRefusedWith422NamingTheElement() {
        Organization org = organization("x", "BG");
        org.setName(null);

        OperationOutcome outcome =
                refused(() -> fhirClient().create().resource(org).execute());

        assertThat(outcome.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(issue.getExpression()).extracting(StringType::getValue).contains("Organization");
            assertThat(issue.getDiagnostics()).contains("Organization.name");
        });
    }

    @Test
    void patientWithWrongEgnCheckDigitIsRefusedNamingSystemValueAndProblem() {
        Patient patient = bulgarianPatient("7501024917");

        OperationOutcome outcome =
                refused(() -> fhirClient().create().resource(patient).execute());

        assertThat(outcome.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getExpression()).extracting(StringType::getValue).contains("Patient.identifier[0].value");
            assertThat(issue.getDiagnostics()).isEqualTo("BG EGN 7501024917: wrong check digit (expected 8, found 7)");
        });
    }

    @Test
    void validPatientWithEgnIsStored() {
        // not the sample referrals' patient: a second Patient with their EGN would make their conditional creates
        // ambiguous
        Patient patient = bulgarianPatient("7501024923");

        IdType id = (IdType) fhirClient().create().resource(patient).execute().getId();

        assertThat(id.getVersionIdPart()).isEqualTo("1");
    }

    @Test
    void oneInvalidEntryRefusesTheWholeTransaction() {
        Organization good = organization("Good in a bad batch", "SI");
        Organization bad = organization("Bad", "SI");
        bad.getAddressFirstRep().setCountry(null);
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Organization org : List.of(good, bad)) {
            transaction
                    .addEntry()
                    .setResource(org)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Organization");
        }

        refused(() -> fhirClient().transaction().withBundle(transaction).execute());

        Bundle found = fhirClient()
                .search()
                .forResource(Organization.class)
                .where(Organization.NAME.matchesExactly().value("Good in a bad batch"))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry()).isEmpty();
    }

    @Test
    void conformanceResourcesAreServed() {
        IGenericClient client = fhirClient();

        StructureDefinition profile = client.read()
                .resource(StructureDefinition.class)
                .withId("cbh-organization")
                .execute();
        Bundle namingSystems = client.search()
                .forResource(NamingSystem.class)
                .count(50)
                .returnBundle(Bundle.class)
                .execute();

        assertThat(profile.getUrl()).isEqualTo(CbhCanonical.PROFILE_ORGANIZATION);
        assertThat(namingSystems.getEntry())
                .extracting(e -> ((NamingSystem) e.getResource()).getIdElement().getIdPart())
                .contains(
                        "bg-egn",
                        "mk-embg",
                        "si-emso",
                        "ua-rnokpp",
                        "pl-pesel",
                        "ee-isikukood",
                        "lt-asmens-kodas",
                        "lv-personas-kods",
                        "at-svnr");
    }

    @Test
    void validateOperationChecksAgainstAHubProfile() throws Exception {
        Organization org = organization("Без държава", "BG");
        org.getAddressFirstRep().setCountry(null).setCity("Благоевград");
        String body = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(org);

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        asIntegrator(HttpRequest.newBuilder(URI.create(fhirBase() + "/Organization/$validate?profile="
                                        + CbhCanonical.PROFILE_ORGANIZATION)))
                                .header("Content-Type", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        OperationOutcome outcome =
                FhirContext.forR4Cached().newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssue())
                .filteredOn(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR)
                .singleElement()
                .satisfies(issue -> {
                    assertThat(issue.getExpression())
                            .extracting(StringType::getValue)
                            .containsExactly("Organization.address[0]");
                    assertThat(issue.getDiagnostics())
                            .startsWith("Organization.address.country: minimum required = 1, but only found 0");
                });
    }

    @Test
    void translateMapsBulgarianSpecialtyCodeToSharedCode() {
        Parameters out = translate(CbhCanonical.CS_BG_NHIF_SPECIALTY, "05");

        assertThat(((BooleanType) out.getParameter("result").getValue()).booleanValue())
                .isTrue();
        Coding concept = (Coding) out.getParameter().stream()
                .filter(p -> p.getName().equals("match"))
                .flatMap(p -> p.getPart().stream())
                .filter(p -> p.getName().equals("concept"))
                .findFirst()
                .orElseThrow()
                .getValue();
        assertThat(concept.getSystem()).isEqualTo(CbhCanonical.CS_SPECIALTY);
        assertThat(concept.getCode()).isEqualTo("cardiology");
    }

    @Test
    void translateOfUnmappedCodeAnswersNoMatch() {
        Parameters out = translate(CbhCanonical.CS_BG_NHIF_SPECIALTY, "99");

        assertThat(((BooleanType) out.getParameter("result").getValue()).booleanValue())
                .isFalse();
        assertThat(out.getParameter().stream().filter(p -> p.getName().equals("match")))
                .isEmpty();
    }

    private Parameters translate(String system, String code) {
        Parameters in = new Parameters();
        in.addParameter().setName("system").setValue(new UriType(system));
        in.addParameter().setName("code").setValue(new CodeType(code));
        in.addParameter().setName("targetsystem").setValue(new UriType(CbhCanonical.CS_SPECIALTY));
        return fhirClient()
                .operation()
                .onType(ConceptMap.class)
                .named("$translate")
                .withParameters(in)
                .execute();
    }

    /** The referred patient of the Bulgarian sample, born 1975-01-02, with the given EGN. */
    private static Patient bulgarianPatient(String egn) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(CbhCanonical.SID_BG_EGN).setValue(egn);
        patient.addName().setFamily("Иванова").addGiven("Мария");
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new DateType("1975-01-02"));
        return patient;
    }

    private static OperationOutcome refused(Runnable call) {
        try {
            call.run();
        } catch (UnprocessableEntityException refused) {
            assertThat(refused.getStatusCode()).isEqualTo(422);
            return (OperationOutcome) refused.getOperationOutcome();
        }
        throw new AssertionError("expected HTTP 422 Unprocessable Entity");
    }
}
