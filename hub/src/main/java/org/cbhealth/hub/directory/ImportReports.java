package org.cbhealth.hub.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cbhealth.routes.directory.DirectoryScope;
import org.cbhealth.routes.fhir.InputProblem;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * The report of every directory import batch ({@code cbh_import_batch}): counts, progress while it runs, the
 * refused parts with their location and reason, the unmapped codes, and the raw input for a replay. Each call is
 * its own short transaction, so progress is visible while the import runs.
 */
@Component
public class ImportReports {

    /** Kept per batch at most; the counts stay exact beyond it. */
    static final int MAX_LISTED_PROBLEMS = 10_000;

    /** The counts of a finished batch. */
    public record Counts(int created, int updated, int unchanged, int deactivated, int rejected, int unmapped) {}

    private static final String COLUMNS = "id, partner_id, channel, scope, state, source_name, started_at,"
            + " finished_at, total, processed, created, updated, unchanged, deactivated, rejected, unmapped,"
            + " provenance_id, note";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    public ImportReports(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Opens a batch in state {@code running}. */
    public long start(
            String partnerId,
            String channel,
            DirectoryScope scope,
            String sourceName,
            int total,
            byte[] raw,
            Map<String, String> attributes) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(
                connection -> {
                    var statement = connection.prepareStatement(
                            "INSERT INTO cbh_import_batch (partner_id, channel, scope, state, source_name, started_at,"
                                    + " total, attributes, raw_input) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?)",
                            new String[] {"id"});
                    statement.setString(1, partnerId);
                    statement.setString(2, channel);
                    statement.setString(3, scope.value());
                    statement.setString(4, sourceName == null ? null : truncate(sourceName, 255));
                    statement.setTimestamp(5, Timestamp.from(Instant.now()));
                    statement.setInt(6, total);
                    statement.setString(7, write(attributes));
                    statement.setBytes(8, raw);
                    return statement;
                },
                key);
        return key.getKeyAs(Number.class).longValue();
    }

    public void progress(long batchId, int processed) {
        jdbc.update("UPDATE cbh_import_batch SET processed = ? WHERE id = ?", processed, batchId);
    }

    public void finish(
            long batchId,
            String state,
            Counts counts,
            List<InputProblem> problems,
            List<String> unmappedCodes,
            String provenanceId,
            String note) {
        Map<String, Object> listed = new LinkedHashMap<>();
        listed.put(
                "problems",
                problems.stream()
                        .limit(MAX_LISTED_PROBLEMS)
                        .map(p -> Map.of("location", p.location(), "reason", p.reason()))
                        .toList());
        listed.put(
                "unmappedCodes",
                unmappedCodes.stream().limit(MAX_LISTED_PROBLEMS).toList());
        jdbc.update(
                "UPDATE cbh_import_batch SET state = ?, finished_at = ?, processed = total, created = ?, updated = ?,"
                        + " unchanged = ?, deactivated = ?, rejected = ?, unmapped = ?, provenance_id = ?, note = ?,"
                        + " problems = ? WHERE id = ?",
                state,
                Timestamp.from(Instant.now()),
                counts.created(),
                counts.updated(),
                counts.unchanged(),
                counts.deactivated(),
                counts.rejected(),
                counts.unmapped(),
                provenanceId,
                note == null ? null : truncate(note, 1000),
                write(listed),
                batchId);
    }

    /** The latest batches, newest first, of one partner or of all. */
    public List<Map<String, Object>> list(String partnerId, int limit) {
        String where = partnerId == null ? "" : " WHERE partner_id = ?";
        Object[] args = partnerId == null ? new Object[0] : new Object[] {partnerId};
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM cbh_import_batch" + where + " ORDER BY id DESC LIMIT " + limit,
                (rs, i) -> summary(rs),
                args);
    }

    /** One batch with its problems and unmapped codes. */
    public Optional<Map<String, Object>> get(long batchId) {
        List<Map<String, Object>> found = jdbc.query(
                "SELECT " + COLUMNS + ", problems FROM cbh_import_batch WHERE id = ?",
                (rs, i) -> {
                    Map<String, Object> batch = summary(rs);
                    String problems = rs.getString("problems");
                    if (problems != null) {
                        batch.putAll(read(problems));
                    }
                    return batch;
                },
                batchId);
        return found.stream().findFirst();
    }

    /** The newest finished batch of the same partner and channel that started after this one, if any. */
    public Optional<Long> newerOf(long batchId) {
        return jdbc
                .query(
                        "SELECT b.id FROM cbh_import_batch b JOIN cbh_import_batch o ON o.id = ?"
                                + " WHERE b.partner_id = o.partner_id AND b.channel = o.channel AND b.id > o.id"
                                + " AND b.state = 'done' ORDER BY b.id DESC",
                        (rs, i) -> rs.getLong(1),
                        batchId)
                .stream()
                .findFirst();
    }

    /** What a replay needs: partner, channel, raw input and the attributes it arrived with. */
    public record Raw(String partnerId, String channel, byte[] body, Map<String, String> attributes) {}

    public Optional<Raw> raw(long batchId) {
        return jdbc
                .query(
                        "SELECT partner_id, channel, raw_input, attributes FROM cbh_import_batch WHERE id = ?",
                        (rs, i) -> new Raw(
                                rs.getString(1), rs.getString(2), rs.getBytes(3), readAttributes(rs.getString(4))),
                        batchId)
                .stream()
                .findFirst();
    }

    private static Map<String, Object> summary(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("id", rs.getLong("id"));
        batch.put("partner", rs.getString("partner_id"));
        batch.put("channel", rs.getString("channel"));
        batch.put("scope", rs.getString("scope"));
        batch.put("state", rs.getString("state"));
        batch.put("source", rs.getString("source_name"));
        batch.put("startedAt", instant(rs.getTimestamp("started_at")));
        batch.put("finishedAt", instant(rs.getTimestamp("finished_at")));
        batch.put("total", rs.getInt("total"));
        batch.put("processed", rs.getInt("processed"));
        batch.put("created", rs.getInt("created"));
        batch.put("updated", rs.getInt("updated"));
        batch.put("unchanged", rs.getInt("unchanged"));
        batch.put("deactivated", rs.getInt("deactivated"));
        batch.put("rejected", rs.getInt("rejected"));
        batch.put("unmapped", rs.getInt("unmapped"));
        batch.put("provenance", rs.getString("provenance_id"));
        batch.put("note", rs.getString("note"));
        return batch;
    }

    private static String instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant().toString();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("import report not serialisable", e);
        }
    }

    private Map<String, Object> read(String text) {
        try {
            return json.readValue(text, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            return Map.of("problems", List.of(), "unmappedCodes", List.of());
        }
    }

    private Map<String, String> readAttributes(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return json.readValue(text, new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
