package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.cbhealth.hub.support.AdminApi;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.Samples;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Endpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partner pushing its directory as JSON to a REST channel ({@code format: json}, {@code flow: directory}): the
 * hub's translator for it, profile validation of what it produces, the {@code scope} query parameter and the
 * answers to bad input.
 */
class DirectoryJsonPushIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private String id;

    @BeforeEach
    void partnerWithAJsonDirectoryChannel() throws Exception {
        id = "it-dir-" + UUID.randomUUID().toString().substring(0, 8);
        PartnerFiles.write(
                PARTNERS_DIR,
                id + ".yaml",
                PartnerFiles.partner(
                        id,
                        """
                inbound:
                  - name: directory
                    kind: rest
                    format: json
                    flow: directory
                codeMappings:
                  - https://fhir.cbhealth.eu/ConceptMap/mk-specialty-to-cbh
                """));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode partner = admin().partner(id);
            assertThat(partner).isNotNull();
            assertThat(partner.get("routes").findValuesAsText("state")).containsOnly("Started");
        });
    }

    @Test
    void dryRunOfTheSampleTranslatesEveryRecordIntoResourcesTheProfilesAccept() {
        AdminApi.Answer answer = admin().post(
                        "/api/admin/partners/" + id + "/dry-run?channel=directory",
                        Samples.bytes("directory/mk-kb-stip-directory.json"),
                        "application/json");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode entries = answer.json().at("/resources/entry");
        List<String> resources = new ArrayList<>();
        entries.forEach(e -> resources.add(e.at("/resource/resourceType").asText() + "/"
                + e.at("/resource/id").asText()));
        assertThat(resources)
                .containsExactly(
                        "Location/KBS-MAIN",
                        "Location/KBS-POLI",
                        "Endpoint/KBS-FHIR",
                        "Endpoint/KBS-MLLP",
                        "HealthcareService/ODD-01",
                        "HealthcareService/ODD-07",
                        "HealthcareService/ODD-09",
                        "Practitioner/LEK-0412",
                        "PractitionerRole/LEK-0412-ODD-01",
                        "Practitioner/LEK-0877",
                        "PractitionerRole/LEK-0877-ONK",
                        "OrganizationAffiliation/MOU-BLG-2024");
        // the test partner's first language is English: the English name is the name, the others translations
        JsonNode cardiology = entries.get(4).get("resource");
        assertThat(cardiology.at("/name").asText()).isEqualTo("Department of Cardiology");
        assertThat(cardiology.at("/_name/extension/0/extension/1/valueString").asText())
                .isEqualTo("Одделение за кардиологија");
        assertThat(cardiology.at("/identifier/0/system").asText())
                .isEqualTo(CbhCanonical.partnerIdentifierSystem(id, "department"));
        assertThat(answer.json().at("/outcome/issue").findValuesAsText("severity"))
                .doesNotContain("error");
        assertThat(expressions(answer.json().at("/outcome/issue")))
                .contains("/departments/0: service type ehokardiografija", "/departments/2: service type EEG");
        assertThat(answer.json().get("accepted").asBoolean()).isTrue();
    }

    @Test
    void theSamplePushedAsAFullExportIsStoredWithReferencesBetweenThePartnersRecordsAndAgainChangesNothing() {
        AdminApi.Answer first = partner()
                .post(
                        "/api/partners/" + id + "/directory?scope=full",
                        Samples.bytes("directory/mk-kb-stip-directory.json"),
                        "application/json");
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(first.json().at("/issue/0/diagnostics").asText())
                .contains(": 12 created, 0 updated, 0 unchanged, 0 deactivated, 0 rejected");

        var client = fhirClient();
        org.hl7.fhir.r4.model.HealthcareService cardiology = client.read()
                .resource(org.hl7.fhir.r4.model.HealthcareService.class)
                .withId(id + "-ODD-01")
                .execute();
        assertThat(cardiology.getLocation())
                .extracting(r -> r.getReference())
                .containsExactly("Location/" + id + "-KBS-MAIN");
        assertThat(cardiology.getEndpoint())
                .extracting(r -> r.getReference())
                .containsExactly("Endpoint/" + id + "-KBS-FHIR");
        org.hl7.fhir.r4.model.PractitionerRole role = client.read()
                .resource(org.hl7.fhir.r4.model.PractitionerRole.class)
                .withId(id + "-LEK-0412-ODD-01")
                .execute();
        assertThat(role.getPractitioner().getReference()).isEqualTo("Practitioner/" + id + "-LEK-0412");
        assertThat(role.getHealthcareService())
                .extracting(r -> r.getReference())
                .containsExactly("HealthcareService/" + id + "-ODD-01");
        // _include follows the rewritten references
        Bundle withSites = client.search()
                .forResource(org.hl7.fhir.r4.model.HealthcareService.class)
                .where(new ca.uhn.fhir.rest.gclient.TokenClientParam("_id")
                        .exactly()
                        .code(id + "-ODD-01"))
                .include(org.hl7.fhir.r4.model.HealthcareService.INCLUDE_LOCATION)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(withSites.getEntry())
                .extracting(e -> e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .containsExactlyInAnyOrder("HealthcareService/" + id + "-ODD-01", "Location/" + id + "-KBS-MAIN");

        AdminApi.Answer again = partner()
                .post(
                        "/api/partners/" + id + "/directory?scope=full",
                        Samples.bytes("directory/mk-kb-stip-directory.json"),
                        "application/json");
        assertThat(again.json().at("/issue/0/diagnostics").asText())
                .contains(": 0 created, 0 updated, 12 unchanged, 0 deactivated, 0 rejected");
    }

    @Test
    void pushedEndpointIsStoredUnderThePartnersIdentifier() {
        String code = "EP-" + UUID.randomUUID().toString().substring(0, 8);
        String json = "{\"endpoints\":[{\"code\":\"" + code + "\",\"connectionType\":\"hl7-fhir-rest\","
                + "\"address\":\"https://fhir.partner.example/r4\",\"payloadTypes\":[{\"system\":"
                + "\"http://hl7.org/fhir/resource-types\",\"code\":\"ServiceRequest\"}]}]}";

        AdminApi.Answer answer = partner()
                .post(
                        "/api/partners/" + id + "/directory?scope=partial",
                        json.getBytes(StandardCharsets.UTF_8),
                        "application/json");

        assertThat(answer.status()).isEqualTo(200);
        Bundle found = fhirClient()
                .search()
                .forResource(Endpoint.class)
                .where(Endpoint.IDENTIFIER
                        .exactly()
                        .systemAndCode(CbhCanonical.partnerIdentifierSystem(id, "endpoint"), code))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry()).hasSize(1);
        Endpoint endpoint = (Endpoint) found.getEntryFirstRep().getResource();
        assertThat(endpoint.getAddress()).isEqualTo("https://fhir.partner.example/r4");
        assertThat(endpoint.getConnectionType().getCode()).isEqualTo("hl7-fhir-rest");
    }

    @Test
    void unknownScopeIsRefusedWithBadRequestNamingTheParameter() {
        AdminApi.Answer answer = partner()
                .post(
                        "/api/partners/" + id + "/directory?scope=everything",
                        Samples.bytes("directory/mk-kb-stip-directory.json"),
                        "application/json");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().at("/issue/0/expression/0").asText()).isEqualTo("scope");
        assertThat(answer.json().at("/issue/0/diagnostics").asText()).startsWith("unknown scope 'everything'");
    }

    @Test
    void messageWhoseEveryRecordIsBadIsRefusedWith422NamingEachPointerAndParked() throws Exception {
        String json = "{\"departments\":[{\"code\":\"ODD-01\",\"names\":{\"mk\":\"Кардиологија\"}},"
                + "{\"code\":\"ODD 2\",\"names\":{\"mk\":\"Онкологија\"},\"specialties\":[\"onkologija\"]}]}";

        AdminApi.Answer answer = partner()
                .post("/api/partners/" + id + "/directory", json.getBytes(StandardCharsets.UTF_8), "application/json");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(expressions(answer.json().at("/issue")))
                .containsExactly("/departments/0/specialties", "/departments/1/code");
        assertThat(answer.json().at("/issue").findValuesAsText("diagnostics"))
                .containsExactly(
                        "required", "'ODD 2' is not a record code: 1 to 64 letters, digits, '.', '_', '~', ':' or '-'");
        await().atMost(WAIT).until(() -> parked().count(id, "sender") == 1);
        assertThat(parked().of(id).get(0).outcomeJson())
                .contains("\"expression\":[\"/departments/0/specialties\"]")
                .contains("\"expression\":[\"/departments/1/code\"]");
    }

    private static List<String> expressions(JsonNode issues) {
        List<String> expressions = new ArrayList<>();
        issues.forEach(issue -> expressions.add(issue.at("/expression/0").asText()));
        return expressions;
    }

    /** The partner's system, with its access token. */
    private AdminApi partner() {
        return partnerApi(id);
    }
}
