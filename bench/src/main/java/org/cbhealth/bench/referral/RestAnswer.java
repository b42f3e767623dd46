package org.cbhealth.bench.referral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * How the benchmark reads the hub's answer on a REST channel (README, the kinds table): 200 with an OperationOutcome
 * without errors means the referral was stored and counts as acknowledged; anything else is a refusal, named by its
 * HTTP status and the first problem the OperationOutcome gives. 202 is a refusal for the benchmark too: the hub kept
 * the message but could not translate it, so nothing will be delivered.
 *
 * @param accepted the referral was stored
 * @param problem for a refusal, {@code HTTP <status>: <first error or warning>}; empty when accepted
 */
public record RestAnswer(boolean accepted, String problem) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PROBLEM = 200;

    /** Classifies an answer by its status and body. */
    public static RestAnswer of(int status, String body) {
        JsonNode outcome = readOutcome(body);
        boolean stored = status >= 200 && status < 300 && status != 202 && outcome != null && !hasError(outcome);
        if (stored) {
            return new RestAnswer(true, "");
        }
        String first = outcome == null ? "" : firstProblem(outcome);
        if (outcome == null) {
            first = status >= 200 && status < 300 ? "no OperationOutcome in the answer" : "";
        }
        String problem = "HTTP " + status + (first.isEmpty() ? "" : ": " + first);
        return new RestAnswer(
                false, problem.length() > MAX_PROBLEM ? problem.substring(0, MAX_PROBLEM) + "…" : problem);
    }

    private static JsonNode readOutcome(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null
                            && "OperationOutcome"
                                    .equals(node.path("resourceType").asText())
                    ? node
                    : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static boolean hasError(JsonNode outcome) {
        for (JsonNode issue : outcome.path("issue")) {
            String severity = issue.path("severity").asText();
            if ("error".equals(severity) || "fatal".equals(severity)) {
                return true;
            }
        }
        return false;
    }

    /** The first error's (else the first issue's) expression and diagnostics. */
    private static String firstProblem(JsonNode outcome) {
        JsonNode chosen = null;
        for (JsonNode issue : outcome.path("issue")) {
            if (chosen == null) {
                chosen = issue;
            }
            String severity = issue.path("severity").asText();
            if ("error".equals(severity) || "fatal".equals(severity)) {
                chosen = issue;
                break;
            }
        }
        if (chosen == null) {
            return "";
        }
        String where = chosen.path("expression").path(0).asText("");
        String what = chosen.path("diagnostics").asText("");
        return (where.isEmpty() || "request".equals(where) ? what : where + ": " + what).strip();
    }
}
