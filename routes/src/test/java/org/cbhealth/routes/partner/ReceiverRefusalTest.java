package org.cbhealth.routes.partner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.component.mllp.MllpAcknowledgementTimeoutException;
import org.apache.camel.component.mllp.MllpApplicationErrorAcknowledgementException;
import org.apache.camel.component.mllp.MllpApplicationRejectAcknowledgementException;
import org.apache.camel.component.mllp.MllpCommitErrorAcknowledgementException;
import org.apache.camel.component.mllp.MllpCommitRejectAcknowledgementException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

/** Which delivery failures are the receiver refusing the message (parked) and which are an outage (retried). */
class ReceiverRefusalTest {

    private static final byte[] MESSAGE =
            "MSH|^~\\&|CBHEALTH_HUB|CBHEALTH|B|B|20261125120000||REF^I12|42|P|2.5.1\r".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldParkAnApplicationErrorWithTheMsaAndErrTexts() {
        byte[] ack = ("MSH|^~\\&|B|B|CBHEALTH_HUB|CBHEALTH|20261125120000||ACK|A42|P|2.5.1\r"
                        + "MSA|AE|42|unknown department\r"
                        + "ERR||RF1^1^6|101^Required field missing^HL70357|E||||RF1-6 referral number is empty\r")
                .getBytes(StandardCharsets.UTF_8);

        ReceiverRefusal refusal =
                ReceiverRefusal.of(new MllpApplicationErrorAcknowledgementException(MESSAGE, ack, false));

        assertThat(refusal.reason())
                .isEqualTo(
                        "the receiver answered ACK AE; MSA-3: unknown department; ERR: RF1-6 referral number is empty");
        assertThat(refusal.operationOutcome()).isNull();
    }

    @Test
    void shouldParkAnApplicationRejectAndACommitRejectNamingErr3WhenThereIsNoUserMessage() {
        byte[] ack =
                "MSH|^~\\&|B|B|H|H|20261125120000||ACK|A42|P|2.5.1\rMSA|AR|42\rERR||MSH^1^9|200^Unsupported message type^HL70357|E\r"
                        .getBytes(StandardCharsets.UTF_8);

        assertThat(ReceiverRefusal.of(new MllpApplicationRejectAcknowledgementException(MESSAGE, ack, false))
                        .reason())
                .isEqualTo("the receiver answered ACK AR; ERR: 200 Unsupported message type");
        assertThat(ReceiverRefusal.of(new MllpCommitRejectAcknowledgementException(MESSAGE, ack, false))
                        .reason())
                .startsWith("the receiver answered ACK CR");
    }

    @Test
    void shouldRetryACommitErrorATimeoutAndARefusedConnection() {
        byte[] ack = "MSH|^~\\&|B|B|H|H|20261125120000||ACK|A42|P|2.5.1\rMSA|CE|42\r".getBytes(StandardCharsets.UTF_8);

        assertThat(ReceiverRefusal.of(new MllpCommitErrorAcknowledgementException(MESSAGE, ack, false)))
                .isNull();
        assertThat(ReceiverRefusal.of(new MllpAcknowledgementTimeoutException(MESSAGE, false)))
                .isNull();
        assertThat(ReceiverRefusal.of(new ConnectException("Connection refused")))
                .isNull();
        assertThat(ReceiverRefusal.of(null)).isNull();
    }

    @Test
    void shouldParkAnHttp422WithTheReceiversOperationOutcome() {
        String outcome = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                + "\"code\":\"invalid\",\"diagnostics\":\"Task.owner unknown\"}]}";

        ReceiverRefusal refusal = ReceiverRefusal.of(http(422, "Unprocessable Entity", outcome));

        assertThat(refusal.reason()).isEqualTo("the receiver answered HTTP 422 Unprocessable Entity: " + outcome);
        assertThat(refusal.operationOutcome()).isEqualTo(outcome);
    }

    @Test
    void shouldKeepOnlyABoundedPieceOfALongBody() {
        String body = "x".repeat(5000);

        ReceiverRefusal refusal = ReceiverRefusal.of(http(400, "Bad Request", body));

        assertThat(refusal.reason())
                .hasSize(ReceiverRefusal.MAX_ANSWER_CHARS + 1)
                .endsWith("x…");
        assertThat(refusal.reason()).startsWith("the receiver answered HTTP 400 Bad Request: xxx");
        assertThat(refusal.operationOutcome()).isNull();
    }

    @Test
    void shouldRetryServerErrorsTimeoutsAndTooManyRequests() {
        assertThat(ReceiverRefusal.of(http(500, "Server Error", "boom"))).isNull();
        assertThat(ReceiverRefusal.of(http(502, "Bad Gateway", ""))).isNull();
        assertThat(ReceiverRefusal.of(http(503, "Service Unavailable", ""))).isNull();
        assertThat(ReceiverRefusal.of(http(408, "Request Timeout", ""))).isNull();
        assertThat(ReceiverRefusal.of(http(429, "Too Many Requests", ""))).isNull();
    }

    @Test
    void shouldParkASoap11ClientFaultAndRetryAServerFault() {
        String client = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<soap:Fault><faultcode>soap:Client</faultcode><faultstring>referralNumber is missing</faultstring>"
                + "</soap:Fault></soap:Body></soap:Envelope>";
        String server = client.replace("soap:Client", "soap:Server");

        assertThat(ReceiverRefusal.of(http(500, "Server Error", client)).reason())
                .isEqualTo("the receiver answered HTTP 500 with a SOAP Client Fault: referralNumber is missing");
        assertThat(ReceiverRefusal.of(http(500, "Server Error", server))).isNull();
    }

    @Test
    void shouldParkASoap12SenderFault() {
        String sender = "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body><env:Fault>"
                + "<env:Code><env:Value>env:Sender</env:Value></env:Code>"
                + "<env:Reason><env:Text xml:lang=\"en\">unknown partner</env:Text></env:Reason>"
                + "</env:Fault></env:Body></env:Envelope>";

        assertThat(ReceiverRefusal.of(http(500, "Server Error", sender)).reason())
                .isEqualTo("the receiver answered HTTP 500 with a SOAP Sender Fault: unknown partner");
    }

    @Test
    void shouldFindTheRefusalBehindAWrappingException() {
        Exception wrapped = new org.apache.camel.RuntimeCamelException(http(404, "Not Found", "no such base"));

        assertThat(ReceiverRefusal.of(wrapped).reason())
                .isEqualTo("the receiver answered HTTP 404 Not Found: no such base");
    }

    private static HttpOperationFailedException http(int status, String text, String body) {
        return new HttpOperationFailedException("http://partner.example/fhir", status, text, null, Map.of(), body);
    }
}
