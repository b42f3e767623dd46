package org.cbhealth.hub.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * {@code java -jar cbhealth-hub.jar --partner-token <partner-id> [--key FILE] [--url URL]}: gets an access token for a
 * partner from a running hub as the partner's system would (SMART Backend Services: client credentials with a client
 * assertion signed RS384 by the partner's private key, iss = sub = partner id, aud = the token URL, 4 minutes, a new
 * jti) and prints only the token, for {@code curl -H "Authorization: Bearer $TOKEN"}. The key defaults to the demo
 * partner's ({@code ${CBHEALTH_DATA_DIR:-./data}/demo-keys/<id>.jwk}), the hub to
 * {@code http://localhost:${CBHEALTH_HTTP_PORT:-8080}}. Exits 0 with the token, 1 when refused, 2 on bad usage.
 */
public final class PartnerTokenCommand {

    public static final String OPTION = "--partner-token";
    static final String USAGE = "usage: java -jar cbhealth-hub.jar " + OPTION
            + " <partner-id> [--key PRIVATE_JWK_FILE] [--url http://localhost:8080]";

    private static final String SCOPE = "system/*.read system/*.write";

    private PartnerTokenCommand() {}

    /** Runs the command on the arguments after {@value #OPTION}; returns the exit code. */
    public static int run(List<String> args, UnaryOperator<String> environment, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).startsWith("--")) {
            err.println(USAGE);
            return 2;
        }
        String partnerId = args.get(0);
        String dataDir = orDefault(environment.apply("CBHEALTH_DATA_DIR"), "./data");
        Path keyFile = DemoPartnerCredentials.keyFile(Path.of(dataDir), partnerId);
        String url = "http://localhost:" + orDefault(environment.apply("CBHEALTH_HTTP_PORT"), "8080");
        for (int i = 1; i < args.size(); i += 2) {
            if (i + 1 >= args.size()) {
                err.println(args.get(i) + " needs a value");
                err.println(USAGE);
                return 2;
            }
            switch (args.get(i)) {
                case "--key" -> keyFile = Path.of(args.get(i + 1));
                case "--url" -> url = args.get(i + 1).replaceAll("/+$", "");
                default -> {
                    err.println("unknown option " + args.get(i));
                    err.println(USAGE);
                    return 2;
                }
            }
        }
        RSAKey key;
        try {
            key = privateKey(keyFile);
        } catch (IOException | ParseException | IllegalArgumentException e) {
            err.println(keyFile + ": " + e.getMessage());
            return 1;
        }
        URI tokenUri = URI.create(url + "/oauth2/token");
        try {
            String token = token(partnerId, key, tokenUri);
            out.println(token);
            return 0;
        } catch (IOException e) {
            err.println(e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The RSA private key of a JWK file, or of a JWK Set file holding exactly one private RSA key. */
    static RSAKey privateKey(Path file) throws IOException, ParseException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such key file (give the partner's private JWK with --key)");
        }
        String json = Files.readString(file, StandardCharsets.UTF_8);
        JWK jwk;
        Map<String, Object> object = com.nimbusds.jose.util.JSONObjectUtils.parse(json);
        if (object.containsKey("keys")) {
            List<JWK> keys = JWKSet.parse(object).getKeys().stream()
                    .filter(JWK::isPrivate)
                    .toList();
            if (keys.size() != 1) {
                throw new IllegalArgumentException(
                        "a JWK Set must hold exactly one private key here, it holds " + keys.size());
            }
            jwk = keys.get(0);
        } else {
            jwk = JWK.parse(object);
        }
        if (!(jwk instanceof RSAKey rsa) || !rsa.isPrivate()) {
            throw new IllegalArgumentException("not an RSA private key (client assertions are signed RS384)");
        }
        if (rsa.getKeyID() == null) {
            throw new IllegalArgumentException("the key has no kid; the hub finds the public key by kid");
        }
        return rsa;
    }

    /** Asks the token endpoint; returns the access token or fails with what the hub answered. */
    static String token(String partnerId, RSAKey key, URI tokenUri) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", assertion(partnerId, key, tokenUri));
        form.put("scope", SCOPE);
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(tokenUri)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException(
                    "cannot reach " + tokenUri + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
        }
        if (response.statusCode() != 200) {
            throw new IOException(
                    tokenUri + " refused the token request: HTTP " + response.statusCode() + " " + response.body());
        }
        JsonNode answer = new ObjectMapper().readTree(response.body());
        String token = answer.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new IOException(tokenUri + " answered without an access_token");
        }
        return token;
    }

    static String assertion(String partnerId, RSAKey key, URI tokenUri) {
        return clientAssertion(
                key,
                partnerId,
                tokenUri.toString(),
                Instant.now().plus(Duration.ofMinutes(4)),
                UUID.randomUUID().toString());
    }

    /**
     * A SMART Backend Services client assertion (RS384, iss = sub = the client id, aud = the token endpoint), with
     * its expiry and jti chosen by the caller.
     */
    public static String clientAssertion(RSAKey key, String clientId, String audience, Instant expires, String jti) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(audience)
                .issueTime(new Date())
                .expirationTime(Date.from(expires))
                .jwtID(jti)
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS384)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the client assertion: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
