package org.cbhealth.hub.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/** {@link InboundMessages} on the hub's own schema in an in-memory H2: the key decides, the first answer stays. */
class InboundMessagesTest {

    private static final Instant NOW = Instant.parse("2026-11-20T09:30:00Z");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private JdbcTemplate jdbc;
    private InboundMessages messages;

    @BeforeEach
    void schema() {
        DriverManagerDataSource dataSource =
                new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        new ResourceDatabasePopulator(new ClassPathResource("db/cbh-schema.sql")).execute(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        messages = new InboundMessages(
                jdbc, meters, new IdempotencyProperties(Duration.ofDays(30)), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void shouldAnswerACopyWithTheRecordedAnswerAndIds() {
        messages.record("bg-a", "BG-REF-1", "referrals", bytes("MSH|one"), answer("MSA|AA|BG-REF-1"));

        assertThat(messages.answered("bg-a", "BG-REF-1", bytes("MSH|one"))).contains(answer("MSA|AA|BG-REF-1"));
        assertThat(meters.counter("cbhealth.inbound.duplicates", "partner", "bg-a", "body", "same")
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void shouldKeyOnThePartnerAsWell() {
        messages.record("bg-a", "BG-REF-1", "referrals", bytes("MSH|one"), answer("MSA|AA|BG-REF-1"));

        assertThat(messages.answered("mk-b", "BG-REF-1", bytes("MSH|one"))).isEmpty();
    }

    @Test
    void shouldGiveTheOriginalAnswerToACopyWithAnotherBodyAndCountIt() {
        messages.record("bg-a", "BG-REF-1", "referrals", bytes("MSH|one"), answer("MSA|AA|BG-REF-1"));

        assertThat(messages.answered("bg-a", "BG-REF-1", bytes("MSH|changed"))).contains(answer("MSA|AA|BG-REF-1"));
        assertThat(meters.counter("cbhealth.inbound.duplicates", "partner", "bg-a", "body", "different")
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void shouldReturnTheFirstAnswerWhenACopyWonTheRace() {
        messages.record("bg-a", "BG-REF-1", "referrals", bytes("MSH|one"), answer("first ACK"));

        InboundMessages.Answer kept =
                messages.record("bg-a", "BG-REF-1", "referrals", bytes("MSH|one"), answer("second ACK"));

        assertThat(kept).isEqualTo(answer("first ACK"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM cbh_inbound_message", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void shouldForgetOnlyWhatIsOlderThanTheCutoff() {
        messages.record("bg-a", "OLD", "referrals", bytes("x"), answer("old"));
        jdbc.update(
                "UPDATE cbh_inbound_message SET received_at = ? WHERE message_key = 'OLD'",
                NOW.minus(Duration.ofDays(31)).atOffset(ZoneOffset.UTC));
        messages.record("bg-a", "NEW", "referrals", bytes("y"), answer("new"));

        messages.forgetExpired();

        assertThat(messages.answered("bg-a", "OLD", bytes("x"))).isEmpty();
        assertThat(messages.answered("bg-a", "NEW", bytes("y"))).contains(answer("new"));
    }

    private static InboundMessages.Answer answer(String text) {
        return new InboundMessages.Answer(text, List.of("Task/7/_history/1", "Patient/3/_history/1"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
