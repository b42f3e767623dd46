package org.cbhealth.hub.support;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the hub has parked, as tests see it: one place to ask, whatever keeps parked messages. ITs assert parking
 * through this class only, so the way parked messages are kept can change without touching them.
 *
 * <p>Now it reads the parked store, the table {@code cbh_parked_message} (the hub moves parked and dead-lettered
 * messages there from their queues), with the hub's own JDBC template.
 */
public final class ParkedMessages {

    /** One parked message: who sent it on which channel, which way it went, who must act, why, and its raw text. */
    public record Parked(
            String partner,
            String channel,
            String direction,
            String failedBy,
            String reason,
            String businessKey,
            String raw,
            String parkId,
            String state,
            String outcomeJson,
            String originalAddress,
            Map<String, String> headers,
            byte[] rawBytes) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;

    public ParkedMessages(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every parked message of the partner (whatever its state), oldest first. */
    public List<Parked> of(String partner) {
        return jdbc.query(
                "SELECT * FROM cbh_parked_message WHERE partner_id = ? ORDER BY parked_at, park_id",
                ParkedMessages::row,
                partner);
    }

    /** How many messages of the partner are parked. */
    public int count(String partner) {
        return of(partner).size();
    }

    /** How many messages of the partner are parked with that party to act ({@code sender}, {@code hub}, {@code receiver}). */
    public int count(String partner, String failedBy) {
        return (int)
                of(partner).stream().filter(p -> failedBy.equals(p.failedBy())).count();
    }

    /** The parked message whose own property {@code name} (a test's marker) has the value, if it is kept yet. */
    public Optional<Parked> withHeader(String name, String value) {
        return jdbc
                .query(
                        "SELECT * FROM cbh_parked_message WHERE headers_json LIKE ? ORDER BY parked_at",
                        ParkedMessages::row,
                        "%" + value + "%")
                .stream()
                .filter(p -> value.equals(p.headers().get(name)))
                .findFirst();
    }

    /** One entry by its park id. */
    public Optional<Parked> byId(String parkId) {
        return jdbc.query("SELECT * FROM cbh_parked_message WHERE park_id = ?", ParkedMessages::row, parkId).stream()
                .findFirst();
    }

    private static Parked row(ResultSet rs, int i) throws SQLException {
        byte[] raw = rs.getBytes("raw_body");
        String headers = rs.getString("headers_json");
        try {
            return new Parked(
                    rs.getString("partner_id"),
                    rs.getString("channel"),
                    rs.getString("direction"),
                    rs.getString("failed_by"),
                    rs.getString("reason"),
                    rs.getString("business_key"),
                    raw == null ? null : new String(raw, StandardCharsets.UTF_8),
                    rs.getString("park_id"),
                    rs.getString("state"),
                    rs.getString("outcome_json"),
                    rs.getString("original_address"),
                    headers == null ? Map.of() : JSON.readValue(headers, new TypeReference<Map<String, String>>() {}),
                    raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
