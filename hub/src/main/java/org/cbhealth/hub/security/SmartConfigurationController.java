package org.cbhealth.hub.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cbhealth.hub.fhir.FhirServerProperties;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * SMART discovery ({@code GET /.well-known/smart-configuration}, public; also under the FHIR base, where SMART
 * clients look for it, see {@link #FHIR_PATH}): where and how a partner system gets an access token (SMART Backend
 * Services: client credentials with a JWT client assertion).
 */
@RestController
public class SmartConfigurationController {

    /** The discovery document under the FHIR base, forwarded here past HAPI's servlet ({@link SecurityConfig}). */
    public static final String FHIR_PATH = "/fhir/.well-known/smart-configuration";

    static final String PATH = "/.well-known/smart-configuration";

    private final AuthorizationServerSettings settings;
    private final FhirServerProperties fhir;

    public SmartConfigurationController(AuthorizationServerSettings settings, FhirServerProperties fhir) {
        this.settings = settings;
        this.fhir = fhir;
    }

    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> smartConfiguration(HttpServletRequest request) {
        String base = settings.getIssuer() != null
                ? settings.getIssuer()
                : AuthorizationServerConfig.publicBase(fhir).orElseGet(() -> requestBase(request));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("issuer", base);
        answer.put("token_endpoint", base + AuthorizationServerConfig.TOKEN_PATH);
        answer.put("jwks_uri", base + AuthorizationServerConfig.JWKS_PATH);
        answer.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        answer.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        answer.put("grant_types_supported", List.of("client_credentials"));
        answer.put(
                "scopes_supported", List.of(PartnerClientRepository.SCOPE_READ, PartnerClientRepository.SCOPE_WRITE));
        answer.put("capabilities", List.of("client-confidential-asymmetric"));
        return answer;
    }

    private static String requestBase(HttpServletRequest request) {
        String url = request.getRequestURL().toString();
        return url.substring(0, url.length() - request.getRequestURI().length()) + request.getContextPath();
    }
}
