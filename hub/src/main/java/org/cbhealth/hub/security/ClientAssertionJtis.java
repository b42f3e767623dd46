package org.cbhealth.hub.security;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The jtis of the client assertions already used, in {@code cbh_client_assertion_jti}: its primary key makes the
 * first use win, on every hub instance sharing the database. Rows are purged once their assertion has expired
 * (an expired assertion is refused anyway).
 */
@Component
public class ClientAssertionJtis {

    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    private final JdbcTemplate jdbc;
    private final AtomicReference<Instant> lastPurge = new AtomicReference<>(Instant.EPOCH);

    public ClientAssertionJtis(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the assertion's use; false when it was used before (a replay). */
    public boolean firstUse(String clientId, String jti, Instant expires) {
        purgeExpired();
        try {
            jdbc.update(
                    "INSERT INTO cbh_client_assertion_jti (client_id, jti, expires_at) VALUES (?, ?, ?)",
                    clientId,
                    jti,
                    OffsetDateTime.ofInstant(expires, ZoneOffset.UTC));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    private void purgeExpired() {
        Instant now = Instant.now();
        Instant last = lastPurge.get();
        if (now.isAfter(last.plus(PURGE_EVERY)) && lastPurge.compareAndSet(last, now)) {
            jdbc.update(
                    "DELETE FROM cbh_client_assertion_jti WHERE expires_at < ?",
                    OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        }
    }
}
