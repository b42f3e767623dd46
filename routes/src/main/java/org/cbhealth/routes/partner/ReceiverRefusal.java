package org.cbhealth.routes.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.component.mllp.MllpCommitErrorAcknowledgementException;
import org.apache.camel.component.mllp.MllpNegativeAcknowledgementException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * A delivery the receiving partner refused: its answer says the message itself is wrong, so sending it again
 * cannot help and it is parked at once ({@code failed_by=receiver}). Everything else that fails a delivery (no
 * connection, a timeout, no answer, HTTP 5xx, 408 or 429, a SOAP Server Fault, an MLLP commit error) means the
 * receiver is down or busy: the message is rolled back onto its queue and the delivery route's circuit breaker
 * counts the failure.
 *
 * <p>Refusals are: an MLLP acknowledgement AE, AR or CR (HL7 v2.5.1 MSA-1); an HTTP status 4xx other than 408
 * and 429; an HTTP 500 whose body is a SOAP 1.1 {@code Client} or SOAP 1.2 {@code Sender} Fault.
 *
 * @param reason the receiver's answer in a sentence: the acknowledgement code with its MSA-3 and ERR texts, or the
 *     HTTP status with a bounded piece of the body (the Fault string of a SOAP Fault)
 * @param operationOutcome the OperationOutcome (FHIR JSON) the receiver answered with, or null
 */
public record ReceiverRefusal(String reason, String operationOutcome) {

    /** Longest piece of a receiver's answer kept in a reason. */
    static final int MAX_ANSWER_CHARS = 500;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SOAP11_FAULT_CODE =
            Pattern.compile("<(?:[\\w.-]+:)?faultcode[^>]*>\\s*(?:[\\w.-]+:)?(\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SOAP12_FAULT_CODE = Pattern.compile(
            "<(?:[\\w.-]+:)?Code[^>]*>\\s*<(?:[\\w.-]+:)?Value[^>]*>\\s*(?:[\\w.-]+:)?(\\w+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SOAP_FAULT_STRING =
            Pattern.compile("<(?:[\\w.-]+:)?(?:faultstring|Text)[^>]*>([^<]*)<", Pattern.CASE_INSENSITIVE);

    /** The refusal a delivery failure stands for, or null when the failure is the receiver being down or busy. */
    public static ReceiverRefusal of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MllpNegativeAcknowledgementException nak) {
                return nak instanceof MllpCommitErrorAcknowledgementException ? null : ofAcknowledgement(nak);
            }
            if (cause instanceof HttpOperationFailedException http) {
                return ofHttp(http);
            }
            if (cause == cause.getCause()) {
                break;
            }
        }
        return null;
    }

    private static ReceiverRefusal ofAcknowledgement(MllpNegativeAcknowledgementException nak) {
        String ack = nak.hasHl7AcknowledgementBytes()
                ? new String(nak.getHl7AcknowledgementBytes(), StandardCharsets.UTF_8)
                : "";
        StringBuilder reason = new StringBuilder("the receiver answered ACK ").append(nak.getAcknowledgmentType());
        for (String segment : ack.split("[\r\n]+")) {
            String[] fields = segment.split("\\|", -1);
            if (segment.startsWith("MSA") && fields.length > 3 && !fields[3].isBlank()) {
                reason.append("; MSA-3: ").append(fields[3]);
            } else if (segment.startsWith("ERR")) {
                String text = errText(fields);
                if (!text.isBlank()) {
                    reason.append("; ERR: ").append(text);
                }
            }
        }
        return new ReceiverRefusal(bounded(reason.toString()), null);
    }

    /** ERR-8 (user message), else ERR-3's text component, else ERR-3's code, else ERR-1 (the HL7 v2.3 form). */
    private static String errText(String[] fields) {
        if (fields.length > 8 && !fields[8].isBlank()) {
            return fields[8];
        }
        if (fields.length > 3 && !fields[3].isBlank()) {
            String[] components = fields[3].split("\\^", -1);
            String code = components[0];
            String text = components.length > 1 ? components[1] : "";
            return text.isBlank() ? code : code.isBlank() ? text : code + " " + text;
        }
        return fields.length > 1 ? fields[1] : "";
    }

    private static ReceiverRefusal ofHttp(HttpOperationFailedException http) {
        int status = http.getStatusCode();
        String body = http.getResponseBody() == null ? "" : http.getResponseBody();
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            String outcome = operationOutcome(body);
            return new ReceiverRefusal(
                    bounded("the receiver answered HTTP " + status + statusText(http) + ": " + oneLine(body)), outcome);
        }
        if (status == 500) {
            String faultCode = faultCode(body);
            if ("Client".equalsIgnoreCase(faultCode) || "Sender".equalsIgnoreCase(faultCode)) {
                Matcher text = SOAP_FAULT_STRING.matcher(body);
                String faultString = text.find() ? text.group(1).trim() : oneLine(body);
                return new ReceiverRefusal(
                        bounded("the receiver answered HTTP 500 with a SOAP " + faultCode + " Fault: " + faultString),
                        null);
            }
        }
        return null;
    }

    private static String faultCode(String body) {
        Matcher soap11 = SOAP11_FAULT_CODE.matcher(body);
        if (soap11.find()) {
            return soap11.group(1);
        }
        Matcher soap12 = SOAP12_FAULT_CODE.matcher(body);
        return soap12.find() ? soap12.group(1) : null;
    }

    /** The body when it is a FHIR OperationOutcome in JSON, else null. */
    private static String operationOutcome(String body) {
        if (!body.contains("OperationOutcome")) {
            return null;
        }
        try {
            JsonNode json = JSON.readTree(body);
            return json != null
                            && "OperationOutcome"
                                    .equals(json.path("resourceType").asText())
                    ? body
                    : null;
        } catch (java.io.IOException notJson) {
            return null;
        }
    }

    private static String statusText(HttpOperationFailedException http) {
        String text = http.getStatusText();
        return text == null || text.isBlank() ? "" : " " + text;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    private static String bounded(String text) {
        return text.length() <= MAX_ANSWER_CHARS ? text : text.substring(0, MAX_ANSWER_CHARS) + "…";
    }
}
