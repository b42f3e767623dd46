package org.cbhealth.hub.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.gclient.UriClientParam;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.cbhealth.hub.support.DepartmentExport;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Re-import of a department export through a partner's CSV inbox on the running hub: the first import creates one
 * HealthcareService per row; the same export again writes nothing (no version, no Provenance); the export with one
 * row changed writes exactly one new version. Versions are counted twice: through the FHIR API
 * ({@code HealthcareService/_history?_since=}) and in HAPI's version table.
 *
 * <p>The default run imports 500 rows. The 10,000-row run of issue 5 takes minutes on two cores, so it runs on
 * demand: {@code -Dcbhealth.it.directory-10k=true} (README, "Tests").
 */
class DirectoryReimportIT extends HubIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryReimportIT.class);
    private static final long SEED = 20260517L;
    private static final Duration IMPORT_WAIT = Duration.ofMinutes(20);

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void anUnchangedExportOf500RowsWritesNothingAndOneChangedRowOneVersion() throws Exception {
        reimport(500, 20, 321);
    }

    @Test
    @EnabledIfSystemProperty(named = "cbhealth.it.directory-10k", matches = "true")
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void anUnchangedExportOf10000RowsWritesNothingAndOneChangedRowOneVersion() throws Exception {
        reimport(10_000, 400, 4_321);
    }

    /**
     * Imports an export of {@code rows} rows three times: as generated, unchanged, and with row {@code changedRow}'s
     * phone changed. {@code unmapped}: the rows whose specialty code the partner's ConceptMap does not map.
     */
    private void reimport(int rows, int unmapped, int changedRow) throws Exception {
        String partner = "it-reimport-" + UUID.randomUUID().toString().substring(0, 8);
        Path inbox = csvPartner(partner);
        List<String> lines = DepartmentExport.lines(SEED, rows);
        String changedId = partner + "-" + DepartmentExport.code(changedRow);

        long started = System.nanoTime();
        drop(inbox, "export-1.csv", DepartmentExport.csv(lines));
        JsonNode first = lastBatch(partner, 1);
        LOG.info("first import of {} rows: {} ms", rows, (System.nanoTime() - started) / 1_000_000);
        assertThat(counts(first)).containsExactly(rows, 0, 0, 0, 0, unmapped);
        assertThat(first.get("total").asInt()).isEqualTo(rows);
        assertThat(first.get("processed").asInt()).isEqualTo(rows);
        assertThat(first.get("provenance").asText()).startsWith("Provenance/");
        assertThat(servicesCounted(partner)).isEqualTo(rows);
        assertThat(versionRows(partner)).isEqualTo(rows);
        assertThat(provenances(partner)).isEqualTo(1);

        Instant beforeSecond = Instant.now();
        started = System.nanoTime();
        drop(inbox, "export-2.csv", DepartmentExport.csv(lines));
        JsonNode second = lastBatch(partner, 2);
        LOG.info("unchanged re-import of {} rows: {} ms", rows, (System.nanoTime() - started) / 1_000_000);
        assertThat(counts(second)).containsExactly(0, 0, rows, 0, 0, unmapped);
        assertThat(second.get("provenance").isNull()).isTrue();
        assertThat(historySince(partner, beforeSecond)).isEmpty();
        assertThat(versionRows(partner)).isEqualTo(rows);
        assertThat(highestVersion(partner)).isEqualTo(1);
        assertThat(provenances(partner)).isEqualTo(1);

        Instant beforeThird = Instant.now();
        drop(
                inbox,
                "export-3.csv",
                DepartmentExport.csv(DepartmentExport.withPhone(lines, changedRow, "+359 73 999 999")));
        JsonNode third = lastBatch(partner, 3);
        assertThat(counts(third)).containsExactly(0, 1, rows - 1, 0, 0, unmapped);
        assertThat(historySince(partner, beforeThird))
                .containsExactly("HealthcareService/" + changedId + "/_history/2");
        assertThat(versionRows(partner)).isEqualTo(rows + 1);
        assertThat(highestVersion(partner)).isEqualTo(2);
        HealthcareService changed = fhirClient()
                .read()
                .resource(HealthcareService.class)
                .withId(changedId)
                .execute();
        assertThat(changed.getMeta().getVersionId()).isEqualTo("2");
        assertThat(changed.getTelecomFirstRep().getValue()).isEqualTo("+359 73 999 999");
        Provenance provenance = fhirClient()
                .read()
                .resource(Provenance.class)
                .withId(third.get("provenance").asText())
                .execute();
        assertThat(provenance.getTarget())
                .extracting(Reference::getReference)
                .containsExactly("HealthcareService/" + changedId + "/_history/2");
        assertThat(provenances(partner)).isEqualTo(2);
    }

    /** A partner with a CSV inbox for {@link DepartmentExport}s, its routes started; returns the inbox. */
    private Path csvPartner(String partner) throws Exception {
        PartnerFiles.write(
                PARTNERS_DIR,
                partner + ".yaml",
                PartnerFiles.partner(
                        partner,
                        "inbound:\n"
                                + "  - name: departments\n"
                                + "    kind: file\n"
                                + "    format: csv\n"
                                + "    flow: directory\n"
                                + "    settings:\n"
                                + "      directory: inbox/" + partner + "\n"
                                + "      language: bg\n"
                                + DepartmentExport.COLUMNS_YAML
                                + "codeMappings:\n"
                                + "  - https://fhir.cbhealth.eu/ConceptMap/bg-nhif-specialty-to-cbh\n"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode listed = admin().partner(partner);
            assertThat(listed).isNotNull();
            assertThat(listed.get("routes").findValuesAsText("state")).containsOnly("Started");
        });
        return PARTNERS_DIR.getParent().resolve("inbox").resolve(partner);
    }

    private static void drop(Path folder, String name, byte[] csv) throws Exception {
        Files.createDirectories(folder);
        Path temp = folder.resolve("." + name + ".part");
        Files.write(temp, csv);
        Files.move(temp, folder.resolve(name));
    }

    /** The partner's newest import batch, once there are {@code count} finished ones. */
    private JsonNode lastBatch(String partner, int count) {
        List<JsonNode> batches = new ArrayList<>();
        await().atMost(IMPORT_WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            batches.clear();
            admin().get("/api/admin/imports?partner=" + partner).json().forEach(batches::add);
            assertThat(batches).hasSize(count);
            assertThat(batches.get(0).get("state").asText()).isEqualTo("done");
        });
        return batches.get(0);
    }

    /** created, updated, unchanged, deactivated, rejected, unmapped. */
    private static List<Integer> counts(JsonNode batch) {
        return List.of(
                batch.get("created").asInt(),
                batch.get("updated").asInt(),
                batch.get("unchanged").asInt(),
                batch.get("deactivated").asInt(),
                batch.get("rejected").asInt(),
                batch.get("unmapped").asInt());
    }

    /** {@code HealthcareService?identifier=<the partner's department system>|&_summary=count}. */
    private int servicesCounted(String partner) {
        Bundle bundle = fhirClient()
                .search()
                .forResource(HealthcareService.class)
                .where(HealthcareService.IDENTIFIER.hasSystemWithAnyCode(
                        CbhCanonical.partnerIdentifierSystem(partner, "department")))
                .summaryMode(SummaryEnum.COUNT)
                .returnBundle(Bundle.class)
                .execute();
        return bundle.getTotal();
    }

    /**
     * The versions of the partner's HealthcareServices written since {@code since}, from
     * {@code GET /fhir/HealthcareService/_history?_since=...} (all pages), as {@code Type/id/_history/n}.
     */
    private List<String> historySince(String partner, Instant since) {
        List<String> versions = new ArrayList<>();
        Bundle page = fhirClient()
                .history()
                .onType(HealthcareService.class)
                .returnBundle(Bundle.class)
                .since(Date.from(since))
                .count(500)
                .execute();
        while (true) {
            for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                var id = entry.getResource().getIdElement();
                if (id.getIdPart().startsWith(partner + "-")) {
                    versions.add("HealthcareService/" + id.getIdPart() + "/_history/" + id.getVersionIdPart());
                }
            }
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return versions;
            }
            page = fhirClient().loadPage().next(page).execute();
        }
    }

    /** Rows of HAPI's version table ({@code HFJ_RES_VER}) of the partner's HealthcareServices. */
    private long versionRows(String partner) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM HFJ_RES_VER v JOIN HFJ_RESOURCE r ON r.RES_ID = v.RES_ID"
                        + " WHERE r.RES_TYPE = 'HealthcareService' AND r.FHIR_ID LIKE ?",
                Long.class,
                partner + "-%");
    }

    /** The highest current version ({@code HFJ_RESOURCE.RES_VER}) among the partner's HealthcareServices. */
    private long highestVersion(String partner) {
        return jdbc.queryForObject(
                "SELECT MAX(RES_VER) FROM HFJ_RESOURCE WHERE RES_TYPE = 'HealthcareService' AND FHIR_ID LIKE ?",
                Long.class,
                partner + "-%");
    }

    /** {@code Provenance?_source=<the partner's channel>&_summary=count}. */
    private int provenances(String partner) {
        return fhirClient()
                .search()
                .forResource(Provenance.class)
                .where(new UriClientParam("_source")
                        .matches()
                        .value(CbhCanonical.BASE + "/partner/" + partner + "/departments"))
                .summaryMode(SummaryEnum.COUNT)
                .returnBundle(Bundle.class)
                .execute()
                .getTotal();
    }
}
