package org.cbhealth.hub.security;

import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.cbhealth.hub.audit.HubAudit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.util.HtmlUtils;

/**
 * The hub's answer to a request it does not let through: 401 (no or bad credentials, with {@code WWW-Authenticate})
 * or 403 (authenticated, not allowed), naming what is wrong — as a FHIR OperationOutcome on {@code /fhir} and the
 * partners' REST channels, a SOAP Fault on SOAP channels, a small JSON object elsewhere — and audited as a denial
 * ({@link HubAudit#denied}). Neither tokens nor passwords go into the answer, the audit trail or the log.
 */
public class SecurityAnswers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityAnswers.class);
    static final String REALM = "CBHealth Hub";

    private final HubAudit audit;

    public SecurityAnswers(HubAudit audit) {
        this.audit = audit;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        String reason = reason(failure);
        boolean bearer = bearerToken(request).isPresent();
        String challenge = "Bearer realm=\"" + REALM + "\"";
        if (bearer) {
            challenge += ", error=\"invalid_token\", error_description=\"" + reason.replace('"', '\'') + "\"";
        }
        response.addHeader("WWW-Authenticate", challenge);
        response.addHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
        String partner = bearerToken(request).flatMap(SecurityAnswers::subject).orElse(null);
        String staff = partner == null ? basicUser(request).orElse(null) : null;
        deny(request, partner, staff, reason);
        write(request, response, HttpServletResponse.SC_UNAUTHORIZED, "login", reason);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        Optional<HubPrincipal> principal = HubPrincipal.current();
        String reason = principal.map(p -> forbiddenReason(request, p)).orElse("not allowed");
        deny(
                request,
                principal
                        .filter(HubPrincipal::isPartner)
                        .map(HubPrincipal::name)
                        .orElse(null),
                principal.filter(p -> !p.isPartner()).map(HubPrincipal::name).orElse(null),
                reason);
        write(request, response, HttpServletResponse.SC_FORBIDDEN, "forbidden", reason);
    }

    /** Why a request on this path is refused to this caller. */
    static String forbiddenReason(HttpServletRequest request, HubPrincipal principal) {
        String path = path(request);
        if (path.startsWith("/api/partners/") || path.startsWith("/soap/partners/")) {
            return principal.isPartner()
                    ? "partner " + principal.name() + " may use only its own channels ("
                            + (path.startsWith("/soap/") ? "/soap" : "/api") + "/partners/" + principal.name() + "/...)"
                    : "posting to a partner channel needs the role INTEGRATOR";
        }
        if (path.startsWith("/api/admin/") || path.startsWith("/actuator/")) {
            return principal.isPartner()
                    ? "a partner may not use the admin API or the actuator"
                    : "the role INTEGRATOR is required";
        }
        return "not allowed";
    }

    /** The reason of a failed or missing authentication, for the caller. */
    static String reason(AuthenticationException failure) {
        if (failure instanceof InsufficientAuthenticationException) {
            return "no credentials: send an access token (Authorization: Bearer) or staff credentials (HTTP Basic)";
        }
        if (failure instanceof BadCredentialsException && !(failure instanceof OAuth2AuthenticationException)) {
            return "wrong user name or password";
        }
        if (failure instanceof OAuth2AuthenticationException oauth) {
            String description = oauth.getError().getDescription();
            String text = description == null ? "" : description.toLowerCase(Locale.ROOT);
            if (text.contains("expired")) {
                return "access token expired";
            }
            if (text.contains("signature") || text.contains("no matching key") || text.contains("jws")) {
                return "access token not issued by this hub (signature not verified)";
            }
            if (text.contains("malformed") || text.contains("invalid jwt serialization")) {
                return "access token malformed";
            }
            if (description != null && description.startsWith("partner")) {
                return description;
            }
            return "invalid access token";
        }
        return "authentication failed";
    }

    private void deny(HttpServletRequest request, String partner, String staff, String reason) {
        try {
            audit.denied(new HubAudit.Denial(
                    partner,
                    staff,
                    channel(request),
                    request.getMethod(),
                    path(request),
                    reason,
                    request.getRemoteAddr()));
        } catch (RuntimeException e) {
            LOG.warn("Denial on {} not audited: {}", channel(request), e.toString());
        }
    }

    static String channel(HttpServletRequest request) {
        String path = path(request);
        if (path.startsWith("/fhir")) {
            return "fhir";
        }
        if (path.startsWith("/api/partners/")) {
            return "rest";
        }
        if (path.startsWith("/soap/")) {
            return "soap";
        }
        if (path.startsWith("/oauth2/")) {
            return "oauth";
        }
        return "admin";
    }

    static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        String path = context != null && !context.isEmpty() && uri.startsWith(context)
                ? uri.substring(context.length())
                : uri;
        // the path only: a query string may carry search parameters (patient data)
        return path.length() > 200 ? path.substring(0, 200) : path;
    }

    private static void write(
            HttpServletRequest request, HttpServletResponse response, int status, String code, String reason)
            throws IOException {
        String path = path(request);
        response.setStatus(status);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (path.startsWith("/fhir") || path.startsWith("/api/partners/")) {
            response.setContentType("application/fhir+json");
            response.getWriter()
                    .write("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\"," + "\"code\":\""
                            + code + "\",\"diagnostics\":\"" + json(reason) + "\"}]}");
        } else if (path.startsWith("/soap/")) {
            response.setContentType("text/xml");
            response.getWriter()
                    .write("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                            + "<soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>"
                            + HtmlUtils.htmlEscape(reason) + "</faultstring></soap:Fault></soap:Body></soap:Envelope>");
        } else {
            response.setContentType("application/json");
            response.getWriter()
                    .write("{\"status\":" + status + ",\"error\":\"" + (status == 401 ? "unauthorized" : "forbidden")
                            + "\",\"reason\":\"" + json(reason) + "\"}");
        }
    }

    static String json(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    static Optional<String> bearerToken(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(header.substring(7).strip());
        }
        return Optional.empty();
    }

    /** The partner an access token names (unverified: for the audit trail only). */
    static Optional<String> subject(String token) {
        try {
            return Optional.ofNullable(SignedJWT.parse(token).getJWTClaimsSet().getSubject())
                    .filter(s -> !s.isBlank() && s.length() <= 64);
        } catch (java.text.ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<String> basicUser(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded =
                    new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon > 0 && colon <= 64 ? Optional.of(decoded.substring(0, colon)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
