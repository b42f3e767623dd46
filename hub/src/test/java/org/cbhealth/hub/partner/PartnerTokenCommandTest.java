package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command against a real HTTP token endpoint on a local socket that records the form it gets. */
class PartnerTokenCommandTest {

    @TempDir
    Path data;

    private HttpServer server;
    private final Map<String, String> form = new LinkedHashMap<>();
    private volatile int status = 200;
    private String url;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oauth2/token", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (String pair : body.split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            byte[] answer = (status == 200
                            ? "{\"access_token\":\"the-token\",\"token_type\":\"Bearer\",\"expires_in\":300}"
                            : "{\"error\":\"invalid_client\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int run(String... args) {
        return PartnerTokenCommand.run(
                List.of(args),
                name -> "CBHEALTH_DATA_DIR".equals(name) ? data.toString() : null,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsOnlyTheTokenGotWithAnAssertionSignedByTheDemoPartnersKey() throws Exception {
        new DemoPartnerCredentials(data).provision("ua-lviv-regional-hospital", "id: ua-lviv-regional-hospital\n");
        RSAKey key = RSAKey.parse(Files.readString(DemoPartnerCredentials.keyFile(data, "ua-lviv-regional-hospital")));

        int exit = run("ua-lviv-regional-hospital", "--url", url + "/");

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("the-token" + System.lineSeparator());
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(form)
                .containsEntry("grant_type", "client_credentials")
                .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        SignedJWT assertion = SignedJWT.parse(form.get("client_assertion"));
        assertThat(assertion.verify(new RSASSAVerifier(key.toRSAPublicKey()))).isTrue();
        assertThat(assertion.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS384);
        assertThat(assertion.getHeader().getKeyID()).isEqualTo("ua-lviv-regional-hospital-demo");
        assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo("ua-lviv-regional-hospital");
        assertThat(assertion.getJWTClaimsSet().getSubject()).isEqualTo("ua-lviv-regional-hospital");
        assertThat(assertion.getJWTClaimsSet().getAudience()).containsExactly(url + "/oauth2/token");
    }

    @Test
    void readsTheKeyFileGiven() throws Exception {
        new DemoPartnerCredentials(data.resolve("elsewhere")).provision("mk-kb-stip", "id: mk-kb-stip\n");

        int exit = run(
                "mk-kb-stip",
                "--key",
                DemoPartnerCredentials.keyFile(data.resolve("elsewhere"), "mk-kb-stip")
                        .toString(),
                "--url",
                url);

        assertThat(exit).isZero();
        assertThat(SignedJWT.parse(form.get("client_assertion"))
                        .getJWTClaimsSet()
                        .getIssuer())
                .isEqualTo("mk-kb-stip");
    }

    @Test
    void saysWhatTheHubAnsweredWhenItRefuses() throws Exception {
        new DemoPartnerCredentials(data).provision("mk-kb-stip", "id: mk-kb-stip\n");
        status = 401;

        int exit = run("mk-kb-stip", "--url", url);

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("HTTP 401").contains("invalid_client");
    }

    @Test
    void refusesAMissingOrPublicKeyFileBeforeCallingTheHub() throws Exception {
        assertThat(run("nobody", "--url", url)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(data.resolve("demo-keys/nobody.jwk").toString())
                .contains("no such key file");

        Path publicOnly = data.resolve("public.jwk");
        new DemoPartnerCredentials(data).provision("mk-kb-stip", "id: mk-kb-stip\n");
        Files.writeString(
                publicOnly,
                RSAKey.parse(Files.readString(DemoPartnerCredentials.keyFile(data, "mk-kb-stip")))
                        .toPublicJWK()
                        .toJSONString());
        assertThat(run("mk-kb-stip", "--key", publicOnly.toString(), "--url", url))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not an RSA private key");
        assertThat(form).isEmpty();
    }

    @Test
    void badUsageExitsTwoWithTheUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("mk-kb-stip", "--key")).isEqualTo(2);
        assertThat(run("mk-kb-stip", "--port", "1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(PartnerTokenCommand.USAGE);
    }
}
