package org.cbhealth.bench.referral;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.cbhealth.bench.partner.PartnerTokens;

/**
 * A hospital system posting referrals to its REST channel on the hub ({@code POST /api/partners/{id}/{channel}})
 * with {@code java.net.http}: one HTTP/1.1 client per connection, so exactly {@code connections} TCP connections
 * are in use, each waiting for its answer before the next request, paced by {@link PacedLoad}. Each request carries
 * the partner's access token ({@link PartnerTokens}; fetched before the send time is taken, so a token request is
 * not counted as latency). The answer is read by {@link RestAnswer}.
 */
final class RestLoad implements ChannelLoad {

    /** The content type of the HL7 v2 text, as in HL7's "HL7 over HTTP" profile. */
    static final String CONTENT_TYPE = "x-application/hl7-v2+er7; charset=utf-8";

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final URI uri;
    private final int connections;
    private final double ratePerSecond;
    private final List<byte[]> bodies;
    private final PartnerTokens tokens;

    /** {@code ratePerSecond} ≤ 0 sends at full speed; {@code messages} are the ledger's referrals, by index. */
    RestLoad(URI uri, PartnerTokens tokens, int connections, double ratePerSecond, List<String> messages) {
        this.uri = uri;
        this.tokens = tokens;
        this.connections = connections;
        this.ratePerSecond = ratePerSecond;
        this.bodies =
                messages.stream().map(m -> m.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Override
    public void send(ReferralLedger ledger, int from, int to) throws InterruptedException {
        PacedLoad.run("rest", connections, ratePerSecond, from, to, c -> new RestConnection(ledger));
    }

    private final class RestConnection implements PacedLoad.Connection {

        private final ReferralLedger ledger;
        private final HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();

        RestConnection(ReferralLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void send(int i) {
            String authorization;
            try {
                authorization = tokens.authorization();
            } catch (IOException e) {
                ledger.sent(i, System.nanoTime());
                ledger.failed(i, System.nanoTime(), "no access token: " + e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ledger.sent(i, System.nanoTime());
                ledger.failed(i, System.nanoTime(), "interrupted");
                return;
            }
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(ANSWER_TIMEOUT)
                    .header("Content-Type", CONTENT_TYPE)
                    .header("Accept", "application/fhir+json")
                    .header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i)))
                    .build();
            ledger.sent(i, System.nanoTime());
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                long answered = System.nanoTime();
                RestAnswer answer = RestAnswer.of(response.statusCode(), response.body());
                if (answer.accepted()) {
                    ledger.accepted(i, answered);
                } else {
                    ledger.refused(i, answered, answer.problem());
                }
            } catch (IOException e) {
                ledger.failed(
                        i, System.nanoTime(), "no answer: " + e.getClass().getSimpleName() + " " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ledger.failed(i, System.nanoTime(), "interrupted");
            }
        }

        @Override
        public void close() {
            // HttpClient has no close() before JDK 21; its connections go with it
        }
    }
}
