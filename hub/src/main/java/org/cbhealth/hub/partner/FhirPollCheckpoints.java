package org.cbhealth.hub.partner;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.cbhealth.routes.fhirpoll.PollCheckpoints;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The checkpoints of the {@code fhir-poll} channels in the table {@code cbh_fhir_poll_checkpoint}: per partner and
 * channel, the {@code _since} of the next poll and what the last poll did. Nothing is kept in memory, so a restarted
 * hub, or a channel's new route after its partner file changed, resumes from the last complete poll.
 */
@Component
public class FhirPollCheckpoints implements PollCheckpoints {

    /** A channel's checkpoint as the admin API shows it; {@code nextSince} null before its first complete poll. */
    public record State(Instant nextSince, Instant advancedAt, Instant polledAt, String lastResult) {}

    private static final int RESULT_LENGTH = 1000;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public FhirPollCheckpoints(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.clock = Clock.systemUTC();
    }

    @Override
    public Optional<Instant> since(String partnerId, String channel) {
        return state(partnerId, channel).map(State::nextSince);
    }

    @Override
    public void advance(String partnerId, String channel, Instant since, String result) {
        OffsetDateTime now = now();
        upsert(
                "UPDATE cbh_fhir_poll_checkpoint SET next_since = ?, advanced_at = ?, polled_at = ?, last_result = ?"
                        + " WHERE partner_id = ? AND channel = ?",
                "INSERT INTO cbh_fhir_poll_checkpoint (next_since, advanced_at, polled_at, last_result, partner_id,"
                        + " channel) VALUES (?, ?, ?, ?, ?, ?)",
                since.atOffset(ZoneOffset.UTC),
                now,
                now,
                shortened(result),
                partnerId,
                channel);
    }

    @Override
    public void failed(String partnerId, String channel, String result) {
        upsert(
                "UPDATE cbh_fhir_poll_checkpoint SET polled_at = ?, last_result = ? WHERE partner_id = ? AND channel = ?",
                "INSERT INTO cbh_fhir_poll_checkpoint (polled_at, last_result, partner_id, channel) VALUES (?, ?, ?, ?)",
                now(),
                shortened(result),
                partnerId,
                channel);
    }

    /** The channel's checkpoint and last poll; empty when it never polled. */
    public Optional<State> state(String partnerId, String channel) {
        List<State> states = jdbc.query(
                "SELECT next_since, advanced_at, polled_at, last_result FROM cbh_fhir_poll_checkpoint"
                        + " WHERE partner_id = ? AND channel = ?",
                (rs, row) -> new State(
                        instant(rs.getObject("next_since", OffsetDateTime.class)),
                        instant(rs.getObject("advanced_at", OffsetDateTime.class)),
                        instant(rs.getObject("polled_at", OffsetDateTime.class)),
                        rs.getString("last_result")),
                partnerId,
                channel);
        return states.stream().findFirst();
    }

    /** An update of the channel's row, or its first insert; a concurrent first insert makes it an update. */
    private void upsert(String update, String insert, Object... values) {
        if (jdbc.update(update, values) > 0) {
            return;
        }
        try {
            jdbc.update(insert, values);
        } catch (DuplicateKeyException inserted) {
            jdbc.update(update, values);
        }
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    private static String shortened(String result) {
        return result.length() <= RESULT_LENGTH ? result : result.substring(0, RESULT_LENGTH - 1) + "…";
    }
}
