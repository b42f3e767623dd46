package org.cbhealth.hub.parking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The parked-message store (table {@code cbh_parked_message}), one row per park id. Keeping a message twice (the
 * queue redelivered it after a crash between insert and commit) keeps it once. State changes are conditional
 * updates, so of two admins replaying the same entry at once only one gets it.
 */
@Component
public class ParkedMessageStore {

    /** Filters of the list. */
    public record Query(String partnerId, String state, String failedBy, String direction, int limit) {}

    private static final String COLUMNS = "park_id, partner_id, channel, direction, failed_by, reason, outcome_json,"
            + " business_key, content_type, raw_body, raw_is_text, headers_json, original_address, parked_at, state,"
            + " replay_count, last_replay_at, last_replay_result, purged_at, purged_by, purge_reason";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    public ParkedMessageStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Keeps the message; false when its park id is already kept (nothing changed). */
    public boolean keep(ParkedMessage m) {
        try {
            jdbc.update(
                    "INSERT INTO cbh_parked_message (park_id, partner_id, channel, direction, failed_by, reason,"
                            + " outcome_json, business_key, content_type, raw_body, raw_is_text, headers_json,"
                            + " original_address, parked_at, state, replay_count)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                    m.parkId(),
                    m.partnerId(),
                    m.channel(),
                    m.direction(),
                    m.failedBy(),
                    m.reason(),
                    m.outcomeJson(),
                    m.businessKey(),
                    m.contentType(),
                    m.raw(),
                    m.rawIsText(),
                    toJson(m.headers()),
                    m.originalAddress(),
                    Timestamp.from(m.parkedAt()),
                    ParkedMessage.PARKED);
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public Optional<ParkedMessage> get(String parkId) {
        return jdbc
                .query("SELECT " + COLUMNS + " FROM cbh_parked_message WHERE park_id = ?", this::row, parkId)
                .stream()
                .findFirst();
    }

    /** Newest first. */
    public List<ParkedMessage> list(Query query) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        filter(where, args, "partner_id", query.partnerId());
        filter(where, args, "state", query.state());
        filter(where, args, "failed_by", query.failedBy());
        filter(where, args, "direction", query.direction());
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM cbh_parked_message" + where + " ORDER BY parked_at DESC, park_id"
                        + " FETCH FIRST " + query.limit() + " ROWS ONLY",
                this::row,
                args.toArray());
    }

    /** The ids of a partner's entries in state {@code parked}, oldest first. */
    public List<String> parkedIdsOf(String partnerId) {
        return jdbc.queryForList(
                "SELECT park_id FROM cbh_parked_message WHERE partner_id = ? AND state = ? ORDER BY parked_at, park_id",
                String.class,
                partnerId,
                ParkedMessage.PARKED);
    }

    /**
     * Takes the entry for a replay: {@code parked} becomes {@code replaying}; with {@code force} an entry left
     * {@code replaying} (a crash mid-replay) is taken again. False when it is in no such state.
     */
    public boolean claim(String parkId, boolean force) {
        String states = force ? "state IN ('parked', 'replaying')" : "state = 'parked'";
        return jdbc.update(
                        "UPDATE cbh_parked_message SET state = 'replaying', last_replay_at = ? WHERE park_id = ? AND "
                                + states,
                        Timestamp.from(Instant.now()),
                        parkId)
                == 1;
    }

    /** The replay went through. */
    public void replayed(String parkId, String result) {
        jdbc.update(
                "UPDATE cbh_parked_message SET state = 'replayed', replay_count = replay_count + 1,"
                        + " last_replay_result = ? WHERE park_id = ? AND state = 'replaying'",
                cut(result, 2000),
                parkId);
    }

    /** The replay was refused again (or failed): parked again, with the new reason and outcome when given. */
    public void refusedAgain(String parkId, String failedBy, String reason, String outcomeJson) {
        jdbc.update(
                "UPDATE cbh_parked_message SET state = 'parked', replay_count = replay_count + 1, failed_by = ?,"
                        + " reason = ?, outcome_json = ?, last_replay_result = ? WHERE park_id = ?"
                        + " AND state = 'replaying'",
                failedBy,
                reason,
                outcomeJson,
                cut("refused again: " + reason, 2000),
                parkId);
    }

    /** Removes the raw input, outcome and headers of a parked entry; false when it is not {@code parked}. */
    public boolean purge(String parkId, String actor, String reason) {
        return jdbc.update(
                        "UPDATE cbh_parked_message SET state = 'purged', raw_body = NULL, outcome_json = NULL,"
                                + " headers_json = NULL, purged_at = ?, purged_by = ?, purge_reason = ?"
                                + " WHERE park_id = ? AND state = 'parked'",
                        Timestamp.from(Instant.now()),
                        actor,
                        cut(reason, 1000),
                        parkId)
                == 1;
    }

    private static void filter(StringBuilder where, List<Object> args, String column, String value) {
        if (value != null && !value.isBlank()) {
            where.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private ParkedMessage row(ResultSet rs, int i) throws SQLException {
        return new ParkedMessage(
                rs.getString("park_id"),
                rs.getString("partner_id"),
                rs.getString("channel"),
                rs.getString("direction"),
                rs.getString("failed_by"),
                rs.getString("reason"),
                rs.getString("outcome_json"),
                rs.getString("business_key"),
                rs.getString("content_type"),
                rs.getBytes("raw_body"),
                rs.getBoolean("raw_is_text"),
                fromJson(rs.getString("headers_json")),
                rs.getString("original_address"),
                instant(rs.getTimestamp("parked_at")),
                rs.getString("state"),
                rs.getInt("replay_count"),
                instant(rs.getTimestamp("last_replay_at")),
                rs.getString("last_replay_result"),
                instant(rs.getTimestamp("purged_at")),
                rs.getString("purged_by"),
                rs.getString("purge_reason"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private String toJson(Map<String, String> headers) {
        try {
            return json.writeValueAsString(new TreeMap<>(headers));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("headers of a parked message cannot be written as JSON", e);
        }
    }

    private Map<String, String> fromJson(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return json.readValue(text, new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("headers_json of a parked message is not a JSON object", e);
        }
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
