package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.cbhealth.hub.support.AdminApi;
import org.cbhealth.hub.support.FhirClients;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FHIR directory data posted directly by a partner on a REST channel ({@code POST /api/partners/<id>/<channel>},
 * format fhir, flow directory): a transaction Bundle with {@code urn:uuid:} references, one resource, a Bundle that
 * withdraws a record, and what is refused.
 */
class FhirDirectoryChannelIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The local id of an Organization posted without id: {@code id-} and the hash of its registry identifier. */
    private static final String HOSPITAL = "id-9f6a683c4000f99680b5";

    private String id;

    @BeforeEach
    void partnerWithAFhirDirectoryChannel() throws Exception {
        id = "it-fhirdir-" + UUID.randomUUID().toString().substring(0, 6);
        PartnerFiles.write(
                PARTNERS_DIR,
                id + ".yaml",
                PartnerFiles.partner(
                        id,
                        """
                inbound:
                  - name: push
                    kind: rest
                    format: fhir
                    flow: directory
                codeMappings:
                  - https://fhir.cbhealth.eu/ConceptMap/si-zzzs-specialty-to-cbh
                """));
        AdminApi admin = new AdminApi(baseUrl(), ADMIN_USER, ADMIN_PASSWORD);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode partner = admin.partner(id);
            assertThat(partner).isNotNull();
            assertThat(partner.get("routes").findValuesAsText("state")).containsOnly("Started");
        });
    }

    @Test
    void transactionBundleIsImportedWithThePartnersIdsAndRefusedEntriesAreNamed() {
        AdminApi.Answer answer = post(transaction());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().at("/issue/0/severity").asText()).isEqualTo("information");
        assertThat(answer.json().at("/issue/0/diagnostics").asText())
                .matches("import \\d+: 3 created, 0 updated, 0 unchanged, 0 deactivated, 1 rejected, 0 unmapped"
                        + " code\\(s\\).*");
        assertThat(answer.json().at("/issue/1/severity").asText()).isEqualTo("warning");
        assertThat(answer.json().at("/issue/1/expression/0").asText()).isEqualTo("Bundle.entry[3]");
        assertThat(answer.json().at("/issue/1/diagnostics").asText())
                .startsWith("Patient is not a directory resource;");

        Location clinic = hub(Location.class, "klinika-interna");
        assertThat(clinic.getManagingOrganization().getReference()).isEqualTo("Organization/" + id + "-" + HOSPITAL);
        assertThat(clinic.getMeta().getSource()).isEqualTo("https://fhir.cbhealth.eu/partner/" + id + "/push");
        HealthcareService cardiology = hub(HealthcareService.class, "kardiologija");
        assertThat(cardiology.getProvidedBy().getReference()).isEqualTo("Organization/" + id + "-" + HOSPITAL);
        assertThat(cardiology.getLocationFirstRep().getReference()).isEqualTo("Location/" + id + "-klinika-interna");
        assertThat(cardiology.getSpecialtyFirstRep().getCoding())
                .extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "https://fhir.cbhealth.eu/CodeSystem/si-zzzs-specialty", "KAR"),
                        org.assertj.core.groups.Tuple.tuple(CbhCanonical.CS_SPECIALTY, "cardiology"));
        assertThat(hub(Organization.class, HOSPITAL).getName()).isEqualTo("Univerzitetni klinični center Maribor");

        // the same transaction again changes nothing
        AdminApi.Answer again = post(transaction());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().at("/issue/0/diagnostics").asText())
                .matches("import \\d+: 0 created, 0 updated, 3 unchanged, 0 deactivated, 1 rejected, 0 unmapped"
                        + " code\\(s\\).*");
        assertThat(versions("HealthcareService", "kardiologija")).isEqualTo(1);
        assertThat(versions("Location", "klinika-interna")).isEqualTo(1);
    }

    @Test
    void oneResourceIsTakenWithItsOwnId() {
        Organization hospital = hospital();
        hospital.setId("ukc-mb");

        AdminApi.Answer answer = post(hospital);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(hub(Organization.class, "ukc-mb").getIdentifier())
                .extracting(i -> i.getSystem() + "|" + i.getValue())
                .containsExactly(
                        "https://fhir.cbhealth.eu/sid/registry/si-prs|5054133",
                        "https://fhir.cbhealth.eu/sid/partner/" + id + "/organization|ukc-mb");
    }

    @Test
    void aDeleteEntryWithdrawsTheRecord() {
        assertThat(post(transaction()).status()).isEqualTo(200);
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl("Location/klinika-interna");

        AdminApi.Answer answer = post(batch);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(hub(Location.class, "klinika-interna").getStatus()).isEqualTo(Location.LocationStatus.INACTIVE);
    }

    @Test
    void somethingThatIsNoDirectoryIsRefusedNamingWhereAndWhy() {
        Bundle patients = new Bundle().setType(Bundle.BundleType.COLLECTION);
        patients.addEntry()
                .setResource(new Patient().addName(new org.hl7.fhir.r4.model.HumanName().setFamily("Novak")));

        AdminApi.Answer refused = post(patients);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().at("/issue/0/severity").asText()).isEqualTo("error");
        assertThat(refused.json().at("/issue/0/expression/0").asText()).isEqualTo("Bundle.entry[0]");
        assertThat(refused.json().at("/issue/0/diagnostics").asText())
                .isEqualTo("Patient is not a directory resource; a directory channel takes Organization, Endpoint,"
                        + " Location, HealthcareService, Practitioner, PractitionerRole, OrganizationAffiliation");

        AdminApi.Answer document = partnerApi(id)
                .post(
                        "/api/partners/" + id + "/push",
                        "{\"resourceType\":\"Bundle\",\"type\":\"document\"}".getBytes(StandardCharsets.UTF_8),
                        "application/fhir+json");
        assertThat(document.status()).isEqualTo(422);
        assertThat(document.json().at("/issue/0/diagnostics").asText())
                .isEqualTo("Bundle.type: 'document' is not taken on a directory channel; send a collection, batch,"
                        + " transaction, searchset or history Bundle");
    }

    private AdminApi.Answer post(Resource resource) {
        return partnerApi(id)
                .post(
                        "/api/partners/" + id + "/push",
                        FhirContext.forR4Cached()
                                .newJsonParser()
                                .encodeResourceToString(resource)
                                .getBytes(StandardCharsets.UTF_8),
                        "application/fhir+json");
    }

    private <T extends Resource> T hub(Class<T> type, String partnersId) {
        return fhirClient().read().resource(type).withId(id + "-" + partnersId).execute();
    }

    private int versions(String type, String partnersId) {
        return FhirClients.versions(fhirClient(), type, id + "-" + partnersId);
    }

    private static Organization hospital() {
        Organization hospital = new Organization()
                .setName("Univerzitetni klinični center Maribor")
                .setActive(true);
        hospital.addIdentifier()
                .setSystem("https://fhir.cbhealth.eu/sid/registry/si-prs")
                .setValue("5054133");
        hospital.addAddress().setCity("Maribor").setCountry("SI");
        return hospital;
    }

    /**
     * A Slovenian hospital's transaction: its Organization by {@code urn:uuid:} (no id), a Location by PUT, a
     * department with a local specialty code, and a Patient that has no place in the directory.
     */
    private static Bundle transaction() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String hospitalUrl = "urn:uuid:6f1c1d3e-2b7a-4c57-9a51-0d6a1f0b9e11";
        bundle.addEntry()
                .setFullUrl(hospitalUrl)
                .setResource(hospital())
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Organization");
        Location clinic =
                new Location().setName("Klinika za interno medicino").setStatus(Location.LocationStatus.ACTIVE);
        clinic.getAddress().setCity("Maribor").setCountry("SI");
        clinic.setManagingOrganization(new Reference(hospitalUrl));
        bundle.addEntry()
                .setFullUrl("urn:uuid:0b8e4c61-7d7f-4a4b-8f55-2b1c8a9e3f20")
                .setResource(clinic)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Location/klinika-interna");
        HealthcareService cardiology = new HealthcareService()
                .setName("Oddelek za kardiologijo in angiologijo")
                .setActive(true)
                .setProvidedBy(new Reference(hospitalUrl));
        cardiology.setId("kardiologija");
        cardiology.addLocation(new Reference("Location/klinika-interna"));
        cardiology.addSpecialty(
                new CodeableConcept(new Coding("https://fhir.cbhealth.eu/CodeSystem/si-zzzs-specialty", "KAR", null)));
        cardiology.addCommunication().addCoding().setSystem("urn:ietf:bcp:47").setCode("sl");
        cardiology
                .addExtension()
                .setUrl(CbhCanonical.EXT_CROSS_BORDER_REFERRAL)
                .addExtension("accepts", new BooleanType(true));
        bundle.addEntry()
                .setFullUrl("HealthcareService/kardiologija")
                .setResource(cardiology)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("HealthcareService/kardiologija");
        bundle.addEntry()
                .setFullUrl("urn:uuid:3c5d9a80-52b4-4e0e-a1d1-6f7e8b9c0d12")
                .setResource(new Patient().addName(new org.hl7.fhir.r4.model.HumanName().setFamily("Novak")))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        return bundle;
    }
}
