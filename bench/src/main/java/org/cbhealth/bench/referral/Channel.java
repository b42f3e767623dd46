package org.cbhealth.bench.referral;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The ways in the benchmark sends referrals to the hub, each an inbound channel of the sender partner carrying the
 * same REF^I12 (format {@code hl7v2}, flow {@code referral}), so the channels differ only in transport. What counts
 * as acknowledged differs by transport and is said in the report: the ACK AA over MLLP, a 2xx OperationOutcome that
 * says the referral was stored over REST, and over JMS the persistent send completing (the broker has the message;
 * the hub has not answered anything).
 */
public enum Channel {
    MLLP(
            "mllp",
            "referrals",
            "MLLP",
            "ACK AA",
            "ACK AE/AR",
            "send → ACK (AA, AE, AR)",
            "connection lost, 60 s timeout or unreadable ACK"),
    REST(
            "rest",
            "referrals-rest",
            "REST (`POST /api/partners/bench-sender/referrals-rest`, HL7 v2 text)",
            "HTTP 2xx with an OperationOutcome that says stored",
            "any other HTTP answer, by status and first issue",
            "send → HTTP answer (any status)",
            "connection lost or 60 s timeout"),
    JMS(
            "jms",
            "referrals-jms",
            "JMS (TextMessage to `" + BenchPartners.SENDER_JMS_QUEUE + "` over CORE, persistent, synchronous send)",
            "send completed (broker has it persisted)",
            "none possible: the hub answers nothing on a queue, and a referral it refuses is parked (see missing and the parked counter)",
            "send → send completed",
            "JMS exception on send");

    /** The value of {@code --channel}. */
    public final String option;
    /** The sender partner's channel name in its partner file. */
    public final String channelName;
    /** How the referral travels, for the report. */
    public final String transport;
    /** What counts as acknowledged. */
    public final String acknowledged;
    /** What counts as refused by the hub. */
    public final String refused;
    /** The label of the acknowledgement latency. */
    public final String ackLatency;
    /** What counts as failed (no acknowledgement at all). */
    public final String failed;

    Channel(
            String option,
            String channelName,
            String transport,
            String acknowledged,
            String refused,
            String ackLatency,
            String failed) {
        this.option = option;
        this.channelName = channelName;
        this.transport = transport;
        this.acknowledged = acknowledged;
        this.refused = refused;
        this.ackLatency = ackLatency;
        this.failed = failed;
    }

    /** The channels {@code --channel} names: one, or all three in order for {@code all}. */
    public static List<Channel> parse(String value) {
        if ("all".equals(value)) {
            return List.of(values());
        }
        return Arrays.stream(values())
                .filter(c -> c.option.equals(value))
                .findFirst()
                .map(List::of)
                .orElseThrow(() ->
                        new IllegalArgumentException("--channel must be mllp, rest, jms or all, was '" + value + "'"));
    }

    /** One letter for the placer numbers of this channel's referrals (M, R, J). */
    public String letter() {
        return name().substring(0, 1).toUpperCase(Locale.ROOT);
    }
}
