package org.cbhealth.hub.idempotency;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The messages the hub has accepted, in the table {@code cbh_inbound_message} (primary key: partner and the
 * message's own id), with the answer each got. A copy of a message found here gets that answer again and is not
 * processed; the database's unique key, not a cache, decides, so this holds across restarts and between
 * concurrent copies (the loser of an insert race reads the winner's answer). A copy whose body differs from the
 * original still gets the original answer and is counted ({@code cbhealth_inbound_duplicates_total{partner,body}}),
 * never logged with its content. Rows older than {@code cbhealth.idempotency.retention} are deleted daily.
 */
@Component
public class InboundMessages {

    /** What the hub answered to a message it accepted: the answer's text (an ACK) and the ids it stored. */
    public record Answer(String answer, List<String> storedIds) {}

    private static final Logger LOG = LoggerFactory.getLogger(InboundMessages.class);
    private static final String DUPLICATES = "cbhealth.inbound.duplicates";

    private final JdbcTemplate jdbc;
    private final MeterRegistry meters;
    private final IdempotencyProperties properties;
    private final Clock clock;

    @Autowired
    public InboundMessages(JdbcTemplate jdbc, MeterRegistry meters, IdempotencyProperties properties) {
        this(jdbc, meters, properties, Clock.systemUTC());
    }

    InboundMessages(JdbcTemplate jdbc, MeterRegistry meters, IdempotencyProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.meters = meters;
        this.properties = properties;
        this.clock = clock;
    }

    /** The answer given to the partner's message with that key, if it was accepted before. */
    public Optional<Answer> answered(String partnerId, String messageKey, byte[] body) {
        List<Row> rows = jdbc.query(
                "SELECT answer, stored_ids, body_hash FROM cbh_inbound_message WHERE partner_id = ? AND message_key = ?",
                (rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3)),
                partnerId,
                messageKey);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Row row = rows.get(0);
        boolean sameBody = row.bodyHash().equals(hash(body));
        meters.counter(DUPLICATES, "partner", partnerId, "body", sameBody ? "same" : "different")
                .increment();
        if (!sameBody) {
            LOG.warn(
                    "partner {}: a message with an id already accepted came with a different body; given the"
                            + " original answer",
                    partnerId);
        }
        return Optional.of(row.toAnswer());
    }

    /**
     * Records the answer given to an accepted message. When a copy was recorded first (a race between two
     * copies), that one's answer is returned, so both copies are answered alike.
     */
    public Answer record(String partnerId, String messageKey, String channel, byte[] body, Answer answer) {
        try {
            jdbc.update(
                    "INSERT INTO cbh_inbound_message (partner_id, message_key, channel, answer, stored_ids, body_hash,"
                            + " received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    partnerId,
                    messageKey,
                    channel,
                    answer.answer(),
                    String.join(",", answer.storedIds()),
                    hash(body),
                    clock.instant().atOffset(ZoneOffset.UTC));
            return answer;
        } catch (DuplicateKeyException raced) {
            return answered(partnerId, messageKey, body).orElse(answer);
        }
    }

    /** Deletes what was received before the retention period; returns how many rows. */
    public int forgetOlderThan(Instant cutoff) {
        return jdbc.update("DELETE FROM cbh_inbound_message WHERE received_at < ?", cutoff.atOffset(ZoneOffset.UTC));
    }

    /** Daily: forgets the messages older than {@code cbhealth.idempotency.retention}. */
    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT24H")
    public void forgetExpired() {
        int deleted = forgetOlderThan(clock.instant().minus(properties.retention()));
        LOG.info("idempotency: forgot {} accepted message(s) older than {}", deleted, properties.retention());
    }

    private record Row(String answer, String storedIds, String bodyHash) {
        Answer toAnswer() {
            return new Answer(
                    answer, storedIds == null || storedIds.isEmpty() ? List.of() : List.of(storedIds.split(",")));
        }
    }

    static String hash(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
