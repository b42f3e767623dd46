package org.cbhealth.bench.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real HTTP token endpoint on a local socket that records each form and answers as configured. */
class PartnerTokensTest {

    @TempDir
    Path root;

    private HttpServer server;
    private final List<Map<String, String>> forms = new ArrayList<>();
    private volatile int status = 200;
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oauth2/token", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            synchronized (forms) {
                forms.add(form);
            }
            byte[] answer = (status == 200
                            ? "{\"access_token\":\"token-" + forms.size()
                                    + "\",\"token_type\":\"Bearer\",\"expires_in\":300}"
                            : "{\"error\":\"invalid_client\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void shouldAskWithAClientAssertionSignedByThePartnersKey() throws Exception {
        PartnerCredentials partner = PartnerCredentials.generate("bench-sender", root);

        String authorization = new PartnerTokens(partner, base).authorization();

        assertThat(authorization).isEqualTo("Bearer token-1");
        Map<String, String> form = forms.get(0);
        assertThat(form)
                .containsEntry("grant_type", "client_credentials")
                .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .containsEntry("scope", "system/*.read system/*.write");
        SignedJWT assertion = SignedJWT.parse(form.get("client_assertion"));
        assertThat(assertion.verify(new RSASSAVerifier(partner.key().toRSAPublicKey())))
                .isTrue();
        assertThat(assertion.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS384);
        assertThat(assertion.getHeader().getKeyID()).isEqualTo(partner.key().getKeyID());
        var claims = assertion.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("bench-sender");
        assertThat(claims.getSubject()).isEqualTo("bench-sender");
        assertThat(claims.getAudience()).containsExactly(base + "/oauth2/token");
        assertThat(claims.getExpirationTime().toInstant())
                .isAfter(Instant.now())
                .isBefore(Instant.now().plusSeconds(5 * 60));
        assertThat(claims.getJWTID()).isNotBlank();
    }

    @Test
    void shouldKeepTheTokenUntilItIsInvalidatedThenAskWithANewJti() throws Exception {
        PartnerTokens tokens = new PartnerTokens(PartnerCredentials.generate("bench-sender", root), base);

        assertThat(tokens.authorization()).isEqualTo("Bearer token-1");
        assertThat(tokens.authorization()).isEqualTo("Bearer token-1");
        assertThat(forms).hasSize(1);

        tokens.invalidate();

        assertThat(tokens.authorization()).isEqualTo("Bearer token-2");
        assertThat(forms).hasSize(2);
        assertThat(SignedJWT.parse(forms.get(1).get("client_assertion"))
                        .getJWTClaimsSet()
                        .getJWTID())
                .isNotEqualTo(SignedJWT.parse(forms.get(0).get("client_assertion"))
                        .getJWTClaimsSet()
                        .getJWTID());
    }

    @Test
    void shouldSayWhichPartnerWasRefusedAndWhy() throws Exception {
        status = 401;
        PartnerTokens tokens = new PartnerTokens(PartnerCredentials.generate("bench-sender", root), base);

        assertThatThrownBy(tokens::authorization)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bench-sender")
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("invalid_client");
    }
}
