package org.cbhealth.hub.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.cbhealth.hub.audit.HubAudit;
import org.cbhealth.hub.fhir.FhirServerProperties;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The hub as OAuth 2.0 authorization server of its partners (Spring Authorization Server): {@code POST
 * /oauth2/token} with the client credentials grant and a JWT client assertion only (SMART Backend Services), and
 * {@code GET /oauth2/jwks}. No other endpoint of Spring Authorization Server is reachable: this filter chain
 * matches these two paths only, and the authorization code, refresh token, device and token exchange grants,
 * introspection, revocation and OpenID Connect are not configured.
 */
@Configuration
public class AuthorizationServerConfig {

    static final String TOKEN_PATH = "/oauth2/token";
    static final String JWKS_PATH = "/oauth2/jwks";

    @Bean
    @Order(1)
    public SecurityFilterChain authorizationServerChain(
            HttpSecurity http,
            RegisteredClientRepository clients,
            ClientAssertionJtis jtis,
            AuthorizationServerSettings settings,
            FhirServerProperties fhir,
            HubAudit audit)
            throws Exception {
        RequestMatcher endpoints = new OrRequestMatcher(
                request -> HttpMethod.POST.matches(request.getMethod())
                        && TOKEN_PATH.equals(SecurityAnswers.path(request)),
                request ->
                        HttpMethod.GET.matches(request.getMethod()) && JWKS_PATH.equals(SecurityAnswers.path(request)));
        PartnerAssertionDecoderFactory decoders =
                new PartnerAssertionDecoderFactory(jtis, () -> tokenEndpointUrls(settings, fhir));
        AuthenticationFailureHandler failures =
                (request, response, failure) -> tokenError(audit, request, response, failure);
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.securityMatcher(endpoints)
                .with(server, as -> as.registeredClientRepository(clients)
                        .authorizationService(new NoStoredAuthorizations())
                        .clientAuthentication(client -> client.authenticationConverters(converters -> {
                                    converters.clear();
                                    converters.add(new PartnerAssertionConverter());
                                })
                                .authenticationProviders(providers -> {
                                    providers.removeIf(p -> !(p instanceof JwtClientAssertionAuthenticationProvider));
                                    providers.forEach(p -> ((JwtClientAssertionAuthenticationProvider) p)
                                            .setJwtDecoderFactory(decoders));
                                })
                                .errorResponseHandler(failures))
                        .tokenEndpoint(token -> token.accessTokenRequestConverters(converters -> {
                                    converters.clear();
                                    converters.add(AuthorizationServerConfig::clientCredentials);
                                })
                                .authenticationProviders(providers -> providers.removeIf(
                                        p -> !(p instanceof OAuth2ClientCredentialsAuthenticationProvider)))
                                .errorResponseHandler(failures)))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(
                        exceptions -> exceptions.authenticationEntryPoint((request, response, failure) -> tokenError(
                                audit,
                                request,
                                response,
                                new OAuth2AuthenticationException(new OAuth2Error(
                                        OAuth2ErrorCodes.INVALID_CLIENT,
                                        "client authentication required: a JWT client assertion (client_assertion_type "
                                                + PartnerAssertionConverter.JWT_BEARER + ", private_key_jwt)",
                                        null)))));
        return http.build();
    }

    /** The client credentials grant; without a scope asked for, both SMART system scopes. */
    private static OAuth2ClientCredentialsAuthenticationToken clientCredentials(HttpServletRequest request) {
        OAuth2ClientCredentialsAuthenticationToken asked = (OAuth2ClientCredentialsAuthenticationToken)
                new OAuth2ClientCredentialsAuthenticationConverter().convert(request);
        if (asked == null || !asked.getScopes().isEmpty()) {
            return asked;
        }
        return new OAuth2ClientCredentialsAuthenticationToken(
                (org.springframework.security.core.Authentication) asked.getPrincipal(),
                Set.of(PartnerClientRepository.SCOPE_READ, PartnerClientRepository.SCOPE_WRITE),
                asked.getAdditionalParameters());
    }

    /** RFC 6749 error answer (401 for invalid_client, else 400), audited; the assertion itself is never kept. */
    private static void tokenError(
            HubAudit audit, HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        OAuth2Error error = failure instanceof OAuth2AuthenticationException oauth
                ? oauth.getError()
                : new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT);
        String description = describe(failure, error);
        String partner = Optional.ofNullable(request.getParameter("client_assertion"))
                .flatMap(PartnerAssertionConverter::issuer)
                .orElse(null);
        try {
            audit.denied(new HubAudit.Denial(
                    partner,
                    null,
                    "oauth",
                    "token",
                    TOKEN_PATH,
                    error.getErrorCode() + ": " + description,
                    request.getRemoteAddr()));
        } catch (RuntimeException e) {
            // the answer still goes out; FhirHubAudit logs its own failures
        }
        int status = OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode()) ? 401 : 400;
        response.setStatus(status);
        if (status == 401) {
            response.addHeader("WWW-Authenticate", "Bearer realm=\"" + SecurityAnswers.REALM + "\"");
        }
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter()
                .write("{\"error\":\"" + SecurityAnswers.json(error.getErrorCode()) + "\",\"error_description\":\""
                        + SecurityAnswers.json(description) + "\"}");
    }

    /** What is wrong, from Spring's error or the assertion check that failed (never the assertion itself). */
    private static String describe(AuthenticationException failure, OAuth2Error error) {
        Throwable cause = failure.getCause();
        if (cause instanceof org.springframework.security.oauth2.jwt.JwtValidationException invalid) {
            return String.join(
                    "; ",
                    invalid.getErrors().stream()
                            .map(OAuth2Error::getDescription)
                            .toList());
        }
        if (cause instanceof org.springframework.security.oauth2.jwt.JwtException) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("no matching key") || message.contains("Signed JWT rejected")) {
                return "the client assertion is not signed by a key of the partner's file (kid, algorithm RS384/ES384)";
            }
            return "the client assertion could not be verified";
        }
        String description = error.getDescription();
        if (description != null && description.contains("client_id")) {
            return "unknown client: no running partner with public keys (authentication) has this id";
        }
        if (OAuth2ErrorCodes.INVALID_SCOPE.equals(error.getErrorCode())) {
            return "scope must be among " + PartnerClientRepository.SCOPE_READ + " "
                    + PartnerClientRepository.SCOPE_WRITE;
        }
        if (OAuth2ErrorCodes.UNSUPPORTED_GRANT_TYPE.equals(error.getErrorCode())) {
            return "only grant_type=client_credentials";
        }
        return description != null ? description : error.getErrorCode();
    }

    /** The token endpoint's URLs a client assertion's aud may name: of the issuer, the public base URL, the request. */
    static Set<String> tokenEndpointUrls(AuthorizationServerSettings settings, FhirServerProperties fhir) {
        Set<String> urls = new LinkedHashSet<>();
        if (AuthorizationServerContextHolder.getContext() != null) {
            urls.add(AuthorizationServerContextHolder.getContext().getIssuer() + TOKEN_PATH);
        }
        if (settings.getIssuer() != null) {
            urls.add(settings.getIssuer() + TOKEN_PATH);
        }
        publicBase(fhir).ifPresent(base -> urls.add(base + TOKEN_PATH));
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            urls.add(attributes.getRequest().getRequestURL().toString());
        }
        return urls;
    }

    /** The hub's public base URL: {@code cbhealth.fhir.public-base-url} without its {@code /fhir}. */
    static Optional<String> publicBase(FhirServerProperties fhir) {
        String url = fhir.publicBaseUrl();
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        url = url.strip().replaceAll("/+$", "");
        return Optional.of(url.endsWith("/fhir") ? url.substring(0, url.length() - "/fhir".length()) : url);
    }

    @Bean
    public AuthorizationServerSettings authorizationServerSettings(
            SecurityProperties security, FhirServerProperties fhir) {
        AuthorizationServerSettings.Builder settings =
                AuthorizationServerSettings.builder().tokenEndpoint(TOKEN_PATH).jwkSetEndpoint(JWKS_PATH);
        Optional.ofNullable(security.issuer()).or(() -> publicBase(fhir)).ifPresent(settings::issuer);
        return settings.build();
    }

    @Bean
    public RegisteredClientRepository partnerClients(PartnerRegistry partners, SecurityProperties security) {
        return new PartnerClientRepository(partners, security.accessTokenLifetime());
    }

    @Bean
    public RSAKey tokenSigningKey(SecurityProperties security, @Value("${cbhealth.data-dir}") Path dataDirectory) {
        return TokenSigningKey.load(security.tokenSigningKeyFile(), dataDirectory);
    }

    @Bean
    public JWKSource<SecurityContext> jwkSource(RSAKey tokenSigningKey) {
        return new ImmutableJWKSet<>(new JWKSet(tokenSigningKey));
    }
}
