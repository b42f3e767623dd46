package org.cbhealth.bench.referral;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RestAnswerTest {

    private static final String STORED =
            """
            {"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational",
             "diagnostics":"stored 9 resource(s), rejected 0 part(s), 0 unmapped code(s): Patient/1",
             "expression":["request"]}]}""";

    @Test
    void shouldAcceptA200OperationOutcomeWithoutErrors() {
        assertThat(RestAnswer.of(200, STORED)).isEqualTo(new RestAnswer(true, ""));
    }

    @Test
    void shouldNameTheStatusAndTheFirstErrorOfARefusal() {
        String refused =
                """
                {"resourceType":"OperationOutcome","issue":[
                 {"severity":"warning","code":"processing","diagnostics":"later","expression":["OBX-5"]},
                 {"severity":"error","code":"invalid","diagnostics":"impossible birth date 19750231",
                  "expression":["PID-7"]}]}""";

        assertThat(RestAnswer.of(422, refused))
                .isEqualTo(new RestAnswer(false, "HTTP 422: PID-7: impossible birth date 19750231"));
    }

    @Test
    void shouldRefuseAKeptButUntranslatedMessageAndAnErrorIn2xx() {
        String kept =
                """
                {"resourceType":"OperationOutcome","issue":[{"severity":"warning","code":"not-supported",
                 "diagnostics":"no translator","expression":["request"]}]}""";
        String errorIn200 = STORED.replace("information", "error");

        assertThat(RestAnswer.of(202, kept)).isEqualTo(new RestAnswer(false, "HTTP 202: no translator"));
        assertThat(RestAnswer.of(200, errorIn200).accepted()).isFalse();
    }

    @Test
    void shouldRefuseAnswersThatAreNoOperationOutcome() {
        assertThat(RestAnswer.of(200, "<html>ok</html>"))
                .isEqualTo(new RestAnswer(false, "HTTP 200: no OperationOutcome in the answer"));
        assertThat(RestAnswer.of(503, "")).isEqualTo(new RestAnswer(false, "HTTP 503"));
        assertThat(RestAnswer.of(500, "{\"resourceType\":\"Bundle\"}")).isEqualTo(new RestAnswer(false, "HTTP 500"));
    }

    @Test
    void shouldShortenLongProblems() {
        String longText = "x".repeat(500);
        String body = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"diagnostics\":\""
                + longText + "\"}]}";

        assertThat(RestAnswer.of(422, body).problem())
                .hasSize(201)
                .endsWith("…")
                .startsWith("HTTP 422: xxx");
    }
}
