package org.cbhealth.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.PartnerKeys;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Partners get access tokens from the hub's token endpoint (SMART Backend Services: client credentials with a JWT
 * client assertion signed by a key of their partner file) and use them on {@code /fhir} and their own channels;
 * every refusal is a clear 401/403 and is audited. Real HTTP against the running hub.
 */
class PartnerAuthenticationIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCOPES = "system/*.read system/*.write";

    private final HttpClient http = HttpClient.newHttpClient();
    private String partnerA;
    private String partnerB;

    @Autowired
    private RSAKey hubSigningKey;

    @BeforeEach
    void twoPartnersWithKeys() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        partnerA = "it-auth-a-" + suffix;
        partnerB = "it-auth-b-" + suffix;
        for (String id : new String[] {partnerA, partnerB}) {
            PartnerFiles.write(PARTNERS_DIR, id + ".yaml", PartnerFiles.partner(id, restChannel()));
        }
        for (String id : new String[] {partnerA, partnerB}) {
            await().atMost(WAIT)
                    .until(() -> tokenRequest(PartnerKeys.clientAssertion(id, tokenUrl()))
                                    .statusCode()
                            == 200);
        }
    }

    private static String restChannel() {
        return """
                inbound:
                  - name: push
                    kind: rest
                    format: fhir
                    flow: directory
                  - name: referrals
                    kind: soap
                    format: xml
                    flow: referral
                """;
    }

    @Test
    void partnerGetsAFiveMinuteTokenAndReadsTheDirectory() throws Exception {
        HttpResponse<String> answer = tokenRequest(PartnerKeys.clientAssertion(partnerA, tokenUrl()));

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode token = JSON.readTree(answer.body());
        assertThat(token.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(token.path("expires_in").asLong()).isBetween(299L, 300L);
        assertThat(token.path("scope").asText().split(" "))
                .containsExactlyInAnyOrder("system/*.read", "system/*.write");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder()
                .decode(token.path("access_token").asText().split("\\.")[1]));
        assertThat(claims.path("sub").asText()).isEqualTo(partnerA);

        HttpResponse<String> read =
                get("/fhir/Organization", "Bearer " + token.path("access_token").asText());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).path("resourceType").asText()).isEqualTo("Bundle");
    }

    @Test
    void withoutAScopeBothSystemScopesAreGranted() throws Exception {
        HttpResponse<String> answer = post(
                "/oauth2/token",
                "grant_type=client_credentials&client_assertion_type="
                        + enc(PartnerAssertionConverter.JWT_BEARER)
                        + "&client_assertion=" + PartnerKeys.clientAssertion(partnerA, tokenUrl()),
                "application/x-www-form-urlencoded",
                null);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("scope").asText().split(" "))
                .containsExactlyInAnyOrder("system/*.read", "system/*.write");
    }

    @Test
    void requestsWithoutCredentialsAreRefusedWith401() throws Exception {
        HttpResponse<String> fhir = get("/fhir/Organization", null);
        assertThat(fhir.statusCode()).isEqualTo(401);
        assertThat(fhir.headers().allValues("WWW-Authenticate"))
                .anySatisfy(h -> assertThat(h).startsWith("Bearer"));
        JsonNode outcome = JSON.readTree(fhir.body());
        assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.at("/issue/0/code").asText()).isEqualTo("login");
        assertThat(outcome.at("/issue/0/diagnostics").asText()).startsWith("no credentials");

        assertThat(post("/api/partners/" + partnerA + "/push", "{}", "application/fhir+json", null)
                        .statusCode())
                .isEqualTo(401);
        HttpResponse<String> soap = post("/soap/partners/" + partnerA + "/referrals", "<x/>", "text/xml", null);
        assertThat(soap.statusCode()).isEqualTo(401);
        assertThat(soap.body()).contains("<faultstring>no credentials");
        assertThat(get("/api/admin/partners", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        // the authorization server endpoints the hub does not use are not there
        assertThat(post("/oauth2/introspect", "token=x", "application/x-www-form-urlencoded", null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(get("/oauth2/authorize?response_type=code&client_id=" + partnerA, null)
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void expiredAssertionIsRefusedAndAudited() throws Exception {
        String expired = PartnerKeys.clientAssertion(
                PartnerKeys.of(partnerA), partnerA, tokenUrl(), Instant.now().minusSeconds(300), PartnerKeys.newJti());

        HttpResponse<String> answer = tokenRequest(expired);

        assertInvalidClient(answer, "expired");
        assertThat(audit().denials(partnerA))
                .anySatisfy(event -> assertThat(detail(event)).contains("expired"));
    }

    @Test
    void assertionValidForMoreThanFiveMinutesIsRefused() throws Exception {
        String tooLong = PartnerKeys.clientAssertion(
                PartnerKeys.of(partnerA),
                partnerA,
                tokenUrl(),
                Instant.now().plus(Duration.ofMinutes(30)),
                PartnerKeys.newJti());
        assertInvalidClient(tokenRequest(tooLong), "5 minutes");
    }

    @Test
    void replayedAssertionIsRefused() throws Exception {
        String assertion = PartnerKeys.clientAssertion(partnerA, tokenUrl());

        assertThat(tokenRequest(assertion).statusCode()).isEqualTo(200);
        assertInvalidClient(tokenRequest(assertion), "replayed");
    }

    @Test
    void assertionSignedByAnUnknownKeyIsRefused() throws Exception {
        String forged = PartnerKeys.clientAssertion(
                PartnerKeys.unregistered(partnerA + "-key-1"),
                partnerA,
                tokenUrl(),
                Instant.now().plusSeconds(120),
                PartnerKeys.newJti());
        assertInvalidClient(tokenRequest(forged), "not signed by a key of the partner");
        // partner B's own key does not authenticate partner A
        String otherPartnersKey = PartnerKeys.clientAssertion(
                PartnerKeys.of(partnerB), partnerA, tokenUrl(), Instant.now().plusSeconds(120), PartnerKeys.newJti());
        assertInvalidClient(tokenRequest(otherPartnersKey), "not signed by a key of the partner");
    }

    @Test
    void assertionForAnotherAudienceIsRefused() throws Exception {
        String elsewhere = PartnerKeys.clientAssertion(
                PartnerKeys.of(partnerA),
                partnerA,
                "https://other.example.org/oauth2/token",
                Instant.now().plusSeconds(120),
                PartnerKeys.newJti());
        assertInvalidClient(tokenRequest(elsewhere), "aud");
    }

    @Test
    void assertionWhoseSubjectIsNotItsIssuerIsRefused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(partnerA)
                .subject(partnerB)
                .audience(tokenUrl())
                .expirationTime(Date.from(Instant.now().plusSeconds(120)))
                .jwtID(PartnerKeys.newJti())
                .build();
        assertInvalidClient(tokenRequest(sign(PartnerKeys.of(partnerA), claims)), "sub must be the client id");
    }

    @Test
    void unknownPartnerAndOtherGrantsAreRefused() throws Exception {
        assertInvalidClient(tokenRequest(PartnerKeys.clientAssertion("it-auth-nobody", tokenUrl())), "unknown client");

        HttpResponse<String> secret = post(
                "/oauth2/token",
                "grant_type=client_credentials&client_id=" + partnerA + "&client_secret=guess",
                "application/x-www-form-urlencoded",
                null);
        assertThat(secret.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(secret.body()).path("error").asText()).isEqualTo("invalid_client");

        HttpResponse<String> password = post(
                "/oauth2/token",
                "grant_type=password&username=u&password=p&client_assertion_type="
                        + enc(PartnerAssertionConverter.JWT_BEARER)
                        + "&client_assertion=" + PartnerKeys.clientAssertion(partnerA, tokenUrl()),
                "application/x-www-form-urlencoded",
                null);
        assertThat(password.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(password.body()).path("error").asText()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void forgedExpiredOrTamperedAccessTokensAreRefused() throws Exception {
        String valid = accessToken(partnerA);

        // a token signed by another key
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(partnerA)
                .expirationTime(Date.from(Instant.now().plusSeconds(120)))
                .build();
        HttpResponse<String> forged =
                get("/fhir/Organization", "Bearer " + sign(PartnerKeys.unregistered("x"), claims));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(forged.body()).at("/issue/0/diagnostics").asText())
                .isEqualTo("access token not issued by this hub (signature not verified)");

        // the hub's own key, but expired
        JWTClaimsSet expired = new JWTClaimsSet.Builder()
                .subject(partnerA)
                .expirationTime(Date.from(Instant.now().minusSeconds(600)))
                .build();
        HttpResponse<String> late =
                get("/fhir/Organization", "Bearer " + sign(hubSigningKey, expired, JWSAlgorithm.RS256));
        assertThat(late.statusCode()).isEqualTo(401);
        assertThat(late.headers().allValues("WWW-Authenticate"))
                .anySatisfy(h -> assertThat(h).contains("invalid_token"));
        assertThat(JSON.readTree(late.body()).at("/issue/0/diagnostics").asText())
                .isEqualTo("access token expired");

        // a valid token whose payload names partner B
        String[] parts = valid.split("\\.");
        String payload =
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace(partnerA, partnerB);
        String tampered = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];
        assertThat(get("/fhir/Organization", "Bearer " + tampered).statusCode()).isEqualTo(401);
        assertThat(audit().denials(partnerB))
                .anySatisfy(event -> assertThat(detail(event)).contains("signature not verified"));
    }

    @Test
    void removedPartnerGetsNoTokenAndItsTokensStopWorking() throws Exception {
        String token = accessToken(partnerB);
        Files.delete(PARTNERS_DIR.resolve(partnerB + ".yaml"));

        await().atMost(WAIT)
                .until(() -> tokenRequest(PartnerKeys.clientAssertion(partnerB, tokenUrl()))
                                .statusCode()
                        == 401);
        HttpResponse<String> read = get("/fhir/Organization", "Bearer " + token);
        assertThat(read.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(read.body()).at("/issue/0/diagnostics").asText())
                .contains("no longer registered");
    }

    @Test
    void partnerMayUseOnlyItsOwnChannels() throws Exception {
        String token = accessToken(partnerA);

        HttpResponse<String> other =
                post("/api/partners/" + partnerB + "/push", "{}", "application/fhir+json", "Bearer " + token);

        assertThat(other.statusCode()).isEqualTo(403);
        JsonNode outcome = JSON.readTree(other.body());
        assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.at("/issue/0/code").asText()).isEqualTo("forbidden");
        assertThat(outcome.at("/issue/0/diagnostics").asText()).contains("may use only its own channels");
        assertThat(audit().denials(partnerA)).anySatisfy(event -> {
            assertThat(detail(event)).contains("own channels");
            assertThat(event.getEntityFirstRep().getName()).isEqualTo("rest:/api/partners/" + partnerB + "/push");
        });
        HttpResponse<String> soap =
                post("/soap/partners/" + partnerB + "/referrals", "<x/>", "text/xml", "Bearer " + token);
        assertThat(soap.statusCode()).isEqualTo(403);
        assertThat(soap.body()).contains("<faultstring>partner " + partnerA + " may use only its own channels");

        // its own channel lets the token through (the answer is the channel's: the body is no FHIR resource)
        HttpResponse<String> own =
                post("/api/partners/" + partnerA + "/push", "{}", "application/fhir+json", "Bearer " + token);
        assertThat(own.statusCode()).isNotIn(401, 403);
        // and a partner has no business in the admin API
        assertThat(get("/api/admin/partners", "Bearer " + token).statusCode()).isEqualTo(403);
    }

    @Test
    void staffRolesOnTheAdminApiAndChannels() throws Exception {
        HttpResponse<String> viewer = get("/api/admin/partners", basic(VIEWER_USER, VIEWER_PASSWORD));
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(viewer.body()).path("reason").asText()).isEqualTo("the role INTEGRATOR is required");
        assertThat(audit().denials(VIEWER_USER)).isNotEmpty();
        assertThat(get("/api/admin/partners", basic(COORDINATOR_USER, COORDINATOR_PASSWORD))
                        .statusCode())
                .isEqualTo(403);
        assertThat(get("/api/admin/partners", basic(ADMIN_USER, ADMIN_PASSWORD)).statusCode())
                .isEqualTo(200);
        assertThat(get("/api/admin/partners", basic(ADMIN_USER, "wrong")).statusCode())
                .isEqualTo(401);

        assertThat(post(
                                "/api/partners/" + partnerA + "/push",
                                "{}",
                                "application/fhir+json",
                                basic(COORDINATOR_USER, COORDINATOR_PASSWORD))
                        .statusCode())
                .isEqualTo(403);
        assertThat(post(
                                "/api/partners/" + partnerA + "/push",
                                "{}",
                                "application/fhir+json",
                                basic(ADMIN_USER, ADMIN_PASSWORD))
                        .statusCode())
                .isNotIn(401, 403);
        assertThat(get("/fhir/Organization", basic(VIEWER_USER, VIEWER_PASSWORD))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void healthIsPublicWithDetailsForIntegratorsOnly() throws Exception {
        HttpResponse<String> anonymous = get("/actuator/health", null);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(anonymous.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.has("components")).isFalse();
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);

        JsonNode detailed = JSON.readTree(
                get("/actuator/health", basic(ADMIN_USER, ADMIN_PASSWORD)).body());
        assertThat(detailed.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(get("/actuator/prometheus", basic(ADMIN_USER, ADMIN_PASSWORD))
                        .statusCode())
                .isEqualTo(200);
        assertThat(get("/fhir/metadata", null).statusCode()).isEqualTo(200);
    }

    @Test
    void smartConfigurationDescribesTheTokenEndpoint() throws Exception {
        HttpResponse<String> answer = get("/.well-known/smart-configuration", null);

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode smart = JSON.readTree(answer.body());
        assertThat(smart.path("token_endpoint").asText()).isEqualTo(tokenUrl());
        assertThat(smart.path("token_endpoint_auth_methods_supported").get(0).asText())
                .isEqualTo("private_key_jwt");
        assertThat(smart.path("token_endpoint_auth_signing_alg_values_supported")
                        .toString())
                .isEqualTo("[\"RS384\",\"ES384\"]");
        assertThat(smart.path("grant_types_supported").toString()).isEqualTo("[\"client_credentials\"]");
        assertThat(smart.path("scopes_supported").toString()).contains("system/*.read", "system/*.write");

        HttpResponse<String> underFhirBase = get("/fhir/.well-known/smart-configuration", null);
        assertThat(underFhirBase.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(underFhirBase.body()).path("token_endpoint").asText())
                .isEqualTo(tokenUrl());

        HttpResponse<String> wsdl = get("/soap/partners/" + partnerA + "/referrals?wsdl", null);
        assertThat(wsdl.statusCode()).isEqualTo(200);
        assertThat(wsdl.body()).contains("definitions");

        HttpResponse<String> jwks = get("/oauth2/jwks", null);
        assertThat(jwks.statusCode()).isEqualTo(200);
        JsonNode key = JSON.readTree(jwks.body()).path("keys").get(0);
        assertThat(key.path("kid").asText()).isEqualTo(hubSigningKey.getKeyID());
        assertThat(key.has("d")).isFalse();
    }

    // --- helpers

    private String tokenUrl() {
        return baseUrl() + "/oauth2/token";
    }

    private String accessToken(String partnerId) throws Exception {
        HttpResponse<String> answer = tokenRequest(PartnerKeys.clientAssertion(partnerId, tokenUrl()));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("access_token").asText();
    }

    private HttpResponse<String> tokenRequest(String assertion) throws Exception {
        return post(
                "/oauth2/token",
                "grant_type=client_credentials&client_assertion_type=" + enc(PartnerAssertionConverter.JWT_BEARER)
                        + "&client_assertion=" + assertion + "&scope=" + enc(SCOPES),
                "application/x-www-form-urlencoded",
                null);
    }

    private void assertInvalidClient(HttpResponse<String> answer, String reason) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
        JsonNode error = JSON.readTree(answer.body());
        assertThat(error.path("error").asText()).isEqualTo("invalid_client");
        assertThat(error.path("error_description").asText()).contains(reason);
    }

    private static String detail(AuditEvent event) {
        return event.getOutcomeDesc() + " @ " + event.getEntityFirstRep().getName();
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        return sign(key, claims, JWSAlgorithm.RS384);
    }

    private static String sign(RSAKey key, JWTClaimsSet claims, JWSAlgorithm algorithm) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(algorithm)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String contentType, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
