package org.cbhealth.hub.referral;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The transactional outbox of referral deliveries and status notices: a row is written in the same database
 * transaction as the Task change it announces (so a stored referral is always delivered, and a rolled-back one
 * never is), and is relayed to the partner's delivery queue after commit by {@link ReferralDeliveryRelay}. The
 * unique {@code dedupe_key} makes a second notice of the same change impossible; it is also the broker's duplicate
 * id, so a relay repeated after a crash delivers nothing twice.
 */
@Component
public class ReferralOutbox {

    /** What an outbox row announces. */
    public enum Kind {
        REFERRAL,
        STATUS
    }

    /** One pending notice. */
    public record Entry(
            long id, String dedupeKey, String partnerId, Kind kind, String taskId, long taskVersion, int attempts) {}

    /** Counts for the admin API. */
    public record Stats(long pending, long sent, long failing) {}

    private final JdbcTemplate jdbc;

    public ReferralOutbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds a notice inside the caller's transaction; a notice with the same key already there is left alone. */
    public void enqueue(Kind kind, String partnerId, String taskId, long taskVersion) {
        String key = kind == Kind.REFERRAL
                ? "referral:" + taskId + ":" + partnerId
                : "status:" + taskId + ":" + taskVersion + ":" + partnerId;
        Integer existing =
                jdbc.queryForObject("SELECT COUNT(*) FROM cbh_outbox WHERE dedupe_key = ?", Integer.class, key);
        if (existing != null && existing > 0) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update(
                "INSERT INTO cbh_outbox (dedupe_key, partner_id, kind, task_id, task_version, created_at,"
                        + " next_attempt_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                key,
                partnerId,
                kind.name(),
                taskId,
                taskVersion,
                now,
                now);
    }

    /** Notices due now, oldest first. */
    public List<Entry> due(int limit) {
        return jdbc.query(
                "SELECT id, dedupe_key, partner_id, kind, task_id, task_version, attempts FROM cbh_outbox"
                        + " WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY id FETCH FIRST " + limit
                        + " ROWS ONLY",
                (rs, i) -> new Entry(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        Kind.valueOf(rs.getString(4)),
                        rs.getString(5),
                        rs.getLong(6),
                        rs.getInt(7)),
                Timestamp.from(Instant.now()));
    }

    public void sent(long id) {
        jdbc.update(
                "UPDATE cbh_outbox SET sent_at = ?, last_error = NULL WHERE id = ?", Timestamp.from(Instant.now()), id);
    }

    /** Keeps the notice for a later attempt, with the reason (no patient data: partner and Task ids only). */
    public void failed(Entry entry, String reason, Duration retryIn) {
        jdbc.update(
                "UPDATE cbh_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                reason.length() > 1000 ? reason.substring(0, 1000) : reason,
                Timestamp.from(Instant.now().plus(retryIn)),
                entry.id());
    }

    public Stats stats() {
        return jdbc.queryForObject(
                "SELECT COALESCE(SUM(CASE WHEN sent_at IS NULL THEN 1 ELSE 0 END), 0),"
                        + " COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0),"
                        + " COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts > 0 THEN 1 ELSE 0 END), 0)"
                        + " FROM cbh_outbox",
                (rs, i) -> new Stats(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
    }

    /** The pending notices with their last error, for the admin API. */
    public List<java.util.Map<String, Object>> pending() {
        return jdbc.queryForList("SELECT id, partner_id, kind, task_id, task_version, attempts, last_error,"
                + " next_attempt_at FROM cbh_outbox WHERE sent_at IS NULL ORDER BY id");
    }
}
