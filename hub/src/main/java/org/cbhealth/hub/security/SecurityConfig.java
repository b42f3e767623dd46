package org.cbhealth.hub.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cbhealth.hub.audit.HubAudit;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.cbhealth.hub.security.HubPrincipal.StaffRole;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what, for every path but the token endpoint ({@link AuthorizationServerConfig}):
 *
 * <ul>
 *   <li>public: {@code GET /fhir/metadata}, {@code /.well-known/**}, WSDL and XSD of the SOAP services, the demo
 *       simulators, {@code /actuator/health} (details to integrators only);
 *   <li>{@code /api/admin/**} and the other actuator endpoints: staff with role INTEGRATOR;
 *   <li>{@code /api/partners/{id}/**}, {@code /soap/partners/{id}/**}: partner {@code id}'s access token, or an
 *       integrator (integrators test channels);
 *   <li>everything else ({@code /fhir}): any partner token or staff account; what each may read is decided per
 *       resource further in.
 * </ul>
 *
 * <p>Partners present an access token of the hub (resource server: signature by the hub's key, issuer, expiry; its
 * partner must still exist with public keys), staff HTTP Basic. Stateless: no session, no cookie, so no CSRF token.
 */
@Configuration
public class SecurityConfig {

    @Bean
    @Order(2)
    public SecurityFilterChain securityFilterChain(
            HttpSecurity http, JwtDecoder accessTokens, PartnerRegistry partners, StaffAccounts staff, HubAudit audit)
            throws Exception {
        SecurityAnswers answers = new SecurityAnswers(audit);
        String integrator = StaffRole.INTEGRATOR.role();
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.requestMatchers(HttpMethod.GET, "/fhir/metadata")
                        .permitAll()
                        .requestMatchers(HttpMethod.GET, SmartConfigurationController.FHIR_PATH)
                        .permitAll()
                        .requestMatchers(
                                "/.well-known/**",
                                "/simulator/**",
                                "/actuator/health",
                                "/actuator/health/liveness",
                                "/actuator/health/readiness",
                                "/error")
                        .permitAll()
                        .requestMatchers(wsdl())
                        .permitAll()
                        .requestMatchers("/actuator/**", "/api/admin/**")
                        .hasRole(integrator)
                        .requestMatchers("/api/partners/{partnerId}/**", "/soap/partners/{partnerId}/**")
                        .access(ownChannelOrIntegrator())
                        .anyRequest()
                        .authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt ->
                                jwt.decoder(accessTokens).jwtAuthenticationConverter(token -> partner(token, partners)))
                        .authenticationEntryPoint(answers)
                        .accessDeniedHandler(answers))
                .httpBasic(basic -> basic.realmName(SecurityAnswers.REALM).authenticationEntryPoint(answers))
                .authenticationProvider(staff)
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(answers).accessDeniedHandler(answers));
        return http.build();
    }

    /** A partner's access token: authority PARTNER (and its scopes), name = partner id; refused when the partner left. */
    static JwtAuthenticationToken partner(Jwt token, PartnerRegistry partners) {
        String partnerId = token.getSubject();
        boolean known = partnerId != null
                && partners.definition(partnerId)
                        .map(p ->
                                p.authentication() != null && p.authentication().jwks() != null)
                        .orElse(false);
        if (!known) {
            throw new InvalidBearerTokenException(
                    "partner " + partnerId + " of this access token is no longer registered with public keys");
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority(HubPrincipal.PARTNER_AUTHORITY));
        List<String> scopes = token.getClaimAsStringList("scope");
        if (scopes != null) {
            scopes.forEach(scope -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
        }
        return new JwtAuthenticationToken(token, authorities, partnerId);
    }

    /** On a partner's channel: that partner's token, or an integrator. */
    static AuthorizationManager<RequestAuthorizationContext> ownChannelOrIntegrator() {
        return (authentication, context) -> {
            String channelPartner = context.getVariables().get("partnerId");
            boolean allowed = HubPrincipal.from(authentication.get())
                    .map(p -> p.isPartner() ? p.name().equals(channelPartner) : p.has(StaffRole.INTEGRATOR))
                    .orElse(false);
            return new AuthorizationDecision(allowed);
        };
    }

    /** {@code GET /soap/...?wsdl} (and the XSDs it imports): a SOAP service's contract is public. */
    private static RequestMatcher wsdl() {
        return request -> HttpMethod.GET.matches(request.getMethod())
                && SecurityAnswers.path(request).startsWith("/soap/")
                && request.getQueryString() != null
                && (request.getQueryString().equalsIgnoreCase("wsdl")
                        || request.getQueryString()
                                .toLowerCase(java.util.Locale.ROOT)
                                .startsWith("wsdl=")
                        || request.getQueryString()
                                .toLowerCase(java.util.Locale.ROOT)
                                .startsWith("xsd="));
    }

    /**
     * SMART clients look for the discovery document under the FHIR base; {@code /fhir/*} is HAPI's servlet, so the
     * request is forwarded to {@link SmartConfigurationController} before it gets there.
     */
    @Bean
    public org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter>
            smartDiscoveryUnderFhir() {
        jakarta.servlet.Filter forward = (request, response, chain) -> {
            if (request instanceof jakarta.servlet.http.HttpServletRequest http
                    && SmartConfigurationController.FHIR_PATH.equals(SecurityAnswers.path(http))) {
                request.getRequestDispatcher(SmartConfigurationController.PATH).forward(request, response);
            } else {
                chain.doFilter(request, response);
            }
        };
        org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter> registration =
                new org.springframework.boot.web.servlet.FilterRegistrationBean<>(forward);
        registration.addUrlPatterns(SmartConfigurationController.FHIR_PATH);
        return registration;
    }

    /** The hub's own access tokens: signed by its key, from its issuer (when fixed), not expired. */
    @Bean
    public JwtDecoder accessTokenDecoder(RSAKey tokenSigningKey, AuthorizationServerSettings settings)
            throws JOSEException {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(tokenSigningKey.toRSAPublicKey())
                .signatureAlgorithm(SignatureAlgorithm.RS256)
                .build();
        OAuth2TokenValidator<Jwt> validator = settings.getIssuer() != null
                ? JwtValidators.createDefaultWithIssuer(settings.getIssuer())
                : JwtValidators.createDefault();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                validator, new JwtClaimValidator<java.time.Instant>("exp", java.util.Objects::nonNull)));
        return decoder;
    }

    @Bean
    public PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    public StaffAccounts staffAccounts(
            AdminProperties admin,
            StaffProperties staff,
            PasswordEncoder encoder,
            @Value("${cbhealth.data-dir}") Path dataDirectory)
            throws IOException {
        return StaffAccounts.load(admin, staff, encoder, dataDirectory);
    }
}
