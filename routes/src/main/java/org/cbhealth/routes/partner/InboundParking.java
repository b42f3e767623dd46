package org.cbhealth.routes.partner;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The headers of an inbound message on its way to the parked queue ({@link PartnerHeaders}): a new park id, the
 * direction {@code inbound}, the reason, who must act, the business key (MSH-10 of HL7 v2 text, else the file name
 * or the JMS message id) and the refusal's OperationOutcome when it has located problems. Every inbound template
 * parks through this, so each parked message carries the same set.
 */
public final class InboundParking {

    private static final RefusalOutcomeTranslator OUTCOMES = RefusalOutcomeTranslator.shared();

    private InboundParking() {}

    /**
     * Marks the exchange's message for parking.
     *
     * @param raw the message as it arrived (String or byte[]), for its business key; may be null
     */
    public static void mark(Exchange exchange, Object raw) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message in = exchange.getIn();
        in.setHeader(PartnerHeaders.PARK_ID, UUID.randomUUID().toString());
        in.setHeader(PartnerHeaders.DIRECTION, "inbound");
        in.setHeader(PartnerHeaders.PARK_REASON, cause == null ? "unknown" : cause.getMessage());
        in.setHeader(PartnerHeaders.FAILED_BY, failedBy(cause));
        String key = businessKey(
                raw, in.getHeader(Exchange.FILE_NAME_ONLY, String.class), in.getHeader("JMSMessageID", String.class));
        if (key != null) {
            in.setHeader(PartnerHeaders.BUSINESS_KEY, key);
        }
        if (cause != null) {
            OUTCOMES.toJson(cause).ifPresent(json -> in.setHeader(PartnerHeaders.OPERATION_OUTCOME, json));
        }
    }

    /** {@code hub} when the hub must act (no translator yet, channel gone), else {@code sender}. */
    static String failedBy(Throwable cause) {
        return cause instanceof NoTranslatorException || cause instanceof PartnerUnavailableException
                ? "hub"
                : "sender";
    }

    /** MSH-10 of HL7 v2 text, else the file name, else the JMS message id; null when none is known. */
    static String businessKey(Object raw, String fileName, String jmsMessageId) {
        String controlId =
                Hl7ControlId.of(raw instanceof byte[] bytes ? head(bytes) : raw instanceof String s ? s : null);
        if (controlId != null) {
            return controlId;
        }
        return fileName != null ? fileName : jmsMessageId;
    }

    private static String head(byte[] bytes) {
        return new String(bytes, 0, Math.min(bytes.length, Hl7ControlId.MAX_HEAD), StandardCharsets.UTF_8);
    }
}
