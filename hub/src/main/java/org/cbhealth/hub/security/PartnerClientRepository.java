package org.cbhealth.hub.security;

import java.time.Duration;
import java.util.Optional;
import org.cbhealth.hub.partner.PartnerDefinition;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The OAuth 2.0 clients are the partners, read live from {@link PartnerRegistry} (a reloaded partner file takes
 * effect at once): client id = partner id, only client credentials with a JWT client assertion signed by a key of
 * the partner file's {@code authentication}. A partner without {@code authentication}, stopped by an admin or
 * removed is no client.
 */
public class PartnerClientRepository implements RegisteredClientRepository {

    /** The client setting holding the partner's public JWK Set (JSON). */
    static final String JWKS_SETTING = "cbhealth.partner.jwks";

    /** SMART Backend Services scopes a partner may ask for. */
    public static final String SCOPE_READ = "system/*.read";

    public static final String SCOPE_WRITE = "system/*.write";

    private final PartnerRegistry partners;
    private final Duration accessTokenLifetime;

    public PartnerClientRepository(PartnerRegistry partners, Duration accessTokenLifetime) {
        this.partners = partners;
        this.accessTokenLifetime = accessTokenLifetime;
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("partners are configured in partner files");
    }

    @Override
    public RegisteredClient findById(String id) {
        return findByClientId(id);
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        if (clientId == null) {
            return null;
        }
        return client(clientId).orElse(null);
    }

    /** The partner that may get tokens: running, with public keys. */
    public Optional<PartnerDefinition> tokenHolder(String partnerId) {
        return partners.running(partnerId)
                .filter(p -> p.authentication() != null
                        && p.authentication().jwks() != null
                        && !p.authentication().jwks().isBlank());
    }

    private Optional<RegisteredClient> client(String partnerId) {
        return tokenHolder(partnerId).map(partner -> RegisteredClient.withId(partner.id())
                .clientId(partner.id())
                .clientName(partner.id())
                .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope(SCOPE_READ)
                .scope(SCOPE_WRITE)
                .clientSettings(ClientSettings.builder()
                        .requireAuthorizationConsent(false)
                        .setting(JWKS_SETTING, partner.authentication().jwks())
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .accessTokenTimeToLive(accessTokenLifetime)
                        .build())
                .build());
    }
}
