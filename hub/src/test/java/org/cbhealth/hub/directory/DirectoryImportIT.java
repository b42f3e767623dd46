package org.cbhealth.hub.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.cbhealth.hub.support.AdminApi;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Directory imports through a partner's CSV inbox on the running hub: upsert on the partner's codes, nothing
 * written for an unchanged export, one version for a changed record, deactivation of records a full export no
 * longer lists, per-partner ids, meta.source and one Provenance per batch, the report over the admin API with each
 * bad row, and replay of a batch from its kept input.
 */
class DirectoryImportIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String HEADER = "Code;Name;Specialty;Phone;Languages;Abroad\n";

    private String id;
    private Path inbox;

    @BeforeEach
    void partnerWithACsvInbox() throws Exception {
        id = newPartner();
        inbox = PARTNERS_DIR.getParent().resolve("inbox").resolve(id);
    }

    private String newPartner() throws Exception {
        String partner = "it-dir-" + UUID.randomUUID().toString().substring(0, 8);
        PartnerFiles.write(
                PARTNERS_DIR,
                partner + ".yaml",
                PartnerFiles.partner(
                        partner,
                        """
                inbound:
                  - name: departments
                    kind: file
                    format: csv
                    flow: directory
                    settings:
                      directory: inbox/%s
                      language: mk
                      columns:
                        department-code: Code
                        department-name: Name
                        specialty-text: Specialty
                        phone: Phone
                        languages: Languages
                        accepts-cross-border: Abroad
                codeMappings:
                  - https://fhir.cbhealth.eu/ConceptMap/mk-specialty-to-cbh
                """
                                .formatted(partner)));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode listed = admin().partner(partner);
            assertThat(listed).isNotNull();
            assertThat(listed.get("routes").findValuesAsText("state")).containsOnly("Started");
        });
        return partner;
    }

    @Test
    void badRowsAreReportedWithTheirLineAndTheGoodRowsImported() throws Exception {
        drop(
                inbox,
                "mixed.csv",
                HEADER
                        + "ODD-01;Одделение за кардиологија;Кардиологија;+389 32 386 301;mk,en;да\n"
                        + "ODD-02;;Гинекологија и акушерство;+389 32 386 302;mk;да\n"
                        + "ODD-03;Одделение за ортопедија;Ортопедија;+389 32 386 303;mk;maybe\n"
                        + "ODD-04;Одделение за педијатрија;Педијатрија;+389 32 386 304;mk;не\n");

        JsonNode batch = lastBatch(id, 1);
        assertThat(batch.get("state").asText()).isEqualTo("done");
        assertThat(batch.get("source").asText()).isEqualTo("mixed.csv");
        assertThat(batch.get("created").asInt()).isEqualTo(2);
        assertThat(batch.get("rejected").asInt()).isEqualTo(2);
        JsonNode report =
                admin().get("/api/admin/imports/" + batch.get("id").asLong()).json();
        assertThat(report.get("problems").findValuesAsText("location"))
                .containsExactly("line 3, column 'Name'", "line 4, column 'Abroad'");
        assertThat(report.get("problems").findValuesAsText("reason"))
                .containsExactly("required value is empty", "'maybe' is not a yes/no answer");
        assertThat(report.get("note").asText()).startsWith("nothing deactivated: 2 part(s) were refused");
        assertThat(services(id))
                .extracting(s -> s.getIdentifierFirstRep().getValue())
                .containsExactlyInAnyOrder("ODD-01", "ODD-04");
        await().atMost(WAIT).untilAsserted(() -> assertThat(filesUnder(inbox.resolve(".done")))
                .anySatisfy(f -> assertThat(f).endsWith("mixed.csv"))
                .anySatisfy(f -> assertThat(f).endsWith("mixed.csv.problems.txt")));
        Path problems = filesUnder(inbox.resolve(".done")).stream()
                .filter(f -> f.endsWith("mixed.csv.problems.txt"))
                .map(Path::of)
                .findFirst()
                .orElseThrow();
        assertThat(Files.readAllLines(problems, StandardCharsets.UTF_8))
                .containsSubsequence(
                        "line 3, column 'Name': required value is empty",
                        "line 4, column 'Abroad': 'maybe' is not a yes/no answer");
        assertThat(inbox.resolve("mixed.csv")).doesNotExist();
    }

    @Test
    void anUnchangedExportWritesNothingAChangedRecordOneVersionAMissingOneIsDeactivated() throws Exception {
        String rows = "ODD-01;Одделение за кардиологија;Кардиологија;+389 32 386 301;mk,en;да\n"
                + "ODD-02;Одделение за гинекологија;Гинекологија и акушерство;+389 32 386 302;mk;да\n"
                + "ODD-03;Одделение за ортопедија;Ортопедија;+389 32 386 303;mk;не\n";
        drop(inbox, "export-1.csv", HEADER + rows);
        JsonNode first = lastBatch(id, 1);
        assertThat(first.get("created").asInt()).isEqualTo(3);
        assertThat(services(id))
                .extracting(s -> s.getIdElement().getIdPart())
                .containsExactlyInAnyOrder(id + "-ODD-01", id + "-ODD-02", id + "-ODD-03");
        assertThat(services(id)).allSatisfy(s -> {
            assertThat(s.getMeta().getVersionId()).isEqualTo("1");
            assertThat(s.getMeta().getSource()).isEqualTo(CbhCanonical.BASE + "/partner/" + id + "/departments");
        });

        drop(inbox, "export-2.csv", HEADER + rows);
        JsonNode same = lastBatch(id, 2);
        assertThat(List.of(
                        same.get("created").asInt(),
                        same.get("updated").asInt(),
                        same.get("unchanged").asInt(),
                        same.get("deactivated").asInt()))
                .containsExactly(0, 0, 3, 0);
        assertThat(same.get("provenance").isNull()).isTrue();
        assertThat(services(id))
                .allSatisfy(s -> assertThat(s.getMeta().getVersionId()).isEqualTo("1"));

        drop(inbox, "export-3.csv", HEADER + rows.replace("+389 32 386 301", "+389 32 386 399"));
        JsonNode changed = lastBatch(id, 3);
        assertThat(List.of(
                        changed.get("created").asInt(),
                        changed.get("updated").asInt(),
                        changed.get("unchanged").asInt()))
                .containsExactly(0, 1, 2);
        HealthcareService cardiology = service(id + "-ODD-01");
        assertThat(cardiology.getMeta().getVersionId()).isEqualTo("2");
        assertThat(cardiology.getTelecomFirstRep().getValue()).isEqualTo("+389 32 386 399");
        assertThat(service(id + "-ODD-02").getMeta().getVersionId()).isEqualTo("1");
        Provenance provenance = fhirClient()
                .read()
                .resource(Provenance.class)
                .withId(changed.get("provenance").asText())
                .execute();
        assertThat(provenance.getTarget())
                .extracting(Reference::getReference)
                .containsExactly("HealthcareService/" + id + "-ODD-01/_history/2");
        assertThat(provenance.getAgentFirstRep().getWho().getReference()).startsWith("Organization/");
        assertThat(provenance.getEntityFirstRep().getWhat().getIdentifier().getValue())
                .isEqualTo(changed.get("id").asText());

        drop(
                inbox,
                "export-4.csv",
                HEADER
                        + rows.lines()
                                .limit(2)
                                .map(l -> l + "\n")
                                .reduce("", String::concat)
                                .replace("+389 32 386 301", "+389 32 386 399"));
        JsonNode shorter = lastBatch(id, 4);
        assertThat(List.of(
                        shorter.get("unchanged").asInt(),
                        shorter.get("deactivated").asInt()))
                .containsExactly(2, 1);
        HealthcareService orthopaedics = service(id + "-ODD-03");
        assertThat(orthopaedics.getActive()).isFalse();
        assertThat(orthopaedics.getMeta().getVersionId()).isEqualTo("2");

        // the first export is older than the last: its replay must be forced, and brings the department back
        AdminApi.Answer refused =
                admin().post("/api/admin/imports/" + first.get("id").asLong() + "/replay");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("error").asText())
                .startsWith("batch " + shorter.get("id").asText() + " of the same channel is newer");
        AdminApi.Answer replay =
                admin().post("/api/admin/imports/" + first.get("id").asLong() + "/replay?force=true");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("summary").asText()).contains("0 created, 2 updated, 1 unchanged");
        assertThat(service(id + "-ODD-03").getActive()).isTrue();
        assertThat(provenances(id)).hasSize(4);
    }

    @Test
    void twoPartnersWithTheSameDepartmentCodeNeverCollide() throws Exception {
        String other = newPartner();
        Path otherInbox = PARTNERS_DIR.getParent().resolve("inbox").resolve(other);
        String row = "ODD-01;Одделение за кардиологија;Кардиологија;+389 32 386 301;mk;да\n";
        drop(inbox, "a.csv", HEADER + row);
        drop(otherInbox, "b.csv", HEADER + row.replace("кардиологија", "хирургија"));
        lastBatch(id, 1);
        lastBatch(other, 1);
        assertThat(service(id + "-ODD-01").getName()).isEqualTo("Одделение за кардиологија");
        assertThat(service(other + "-ODD-01").getName()).isEqualTo("Одделение за хирургија");
    }

    @Test
    void theReportOfAnUnknownBatchIsNotFound() {
        assertThat(admin().get("/api/admin/imports/999999999").status()).isEqualTo(404);
        assertThat(admin().post("/api/admin/imports/999999999/replay").status()).isEqualTo(404);
    }

    private void drop(Path folder, String name, String csv) throws Exception {
        Files.createDirectories(folder);
        Path temp = folder.resolve("." + name + ".part");
        Files.writeString(temp, csv, StandardCharsets.UTF_8);
        Files.move(temp, folder.resolve(name));
    }

    /** The partner's newest import batch, once there are {@code count} finished ones. */
    private JsonNode lastBatch(String partner, int count) {
        List<JsonNode> batches = new ArrayList<>();
        await().atMost(WAIT).untilAsserted(() -> {
            batches.clear();
            admin().get("/api/admin/imports?partner=" + partner).json().forEach(batches::add);
            assertThat(batches).hasSize(count);
            assertThat(batches.get(0).get("state").asText()).isEqualTo("done");
        });
        return batches.get(0);
    }

    private List<HealthcareService> services(String partner) {
        Bundle bundle = fhirClient()
                .search()
                .forResource(HealthcareService.class)
                .where(HealthcareService.IDENTIFIER.hasSystemWithAnyCode(
                        CbhCanonical.partnerIdentifierSystem(partner, "department")))
                .count(100)
                .returnBundle(Bundle.class)
                .execute();
        return bundle.getEntry().stream()
                .map(e -> (HealthcareService) e.getResource())
                .toList();
    }

    private HealthcareService service(String hubId) {
        return fhirClient()
                .read()
                .resource(HealthcareService.class)
                .withId(hubId)
                .execute();
    }

    private List<Provenance> provenances(String partner) {
        Bundle bundle = fhirClient()
                .search()
                .forResource(Provenance.class)
                .where(new ca.uhn.fhir.rest.gclient.UriClientParam("_source")
                        .matches()
                        .value(CbhCanonical.BASE + "/partner/" + partner + "/departments"))
                .count(100)
                .returnBundle(Bundle.class)
                .execute();
        return bundle.getEntry().stream().map(e -> (Provenance) e.getResource()).toList();
    }

    private static List<String> filesUnder(Path folder) throws Exception {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.map(Path::toString).toList();
        }
    }
}
