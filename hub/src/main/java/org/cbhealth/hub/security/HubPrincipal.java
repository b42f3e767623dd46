package org.cbhealth.hub.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling the hub, as every authorization and audit decision sees it: a partner system (authenticated by an
 * OAuth 2.0 access token the hub issued to it; {@code name} is the partner id) or a staff member (HTTP Basic; {@code
 * name} is the user name, {@code roles} what they may do).
 *
 * <p>The authentication layer grants these authorities: {@value #PARTNER_AUTHORITY} for a partner, whose
 * authentication name is its partner id (the OAuth client id); {@code ROLE_VIEWER}, {@code ROLE_COORDINATOR}, {@code
 * ROLE_INTEGRATOR} for staff ({@link StaffRole}).
 */
public record HubPrincipal(Kind kind, String name, Set<StaffRole> roles) {

    /** The authority of a partner system's access token. */
    public static final String PARTNER_AUTHORITY = "PARTNER";

    /** A partner system or a member of staff. */
    public enum Kind {
        PARTNER,
        STAFF
    }

    /**
     * Staff roles, each including the ones before it: a viewer reads the directory, a coordinator also reads and
     * manages referrals, an integrator also configures partners (admin API), reads the audit trail and metrics.
     */
    public enum StaffRole {
        VIEWER,
        COORDINATOR,
        INTEGRATOR;

        /** The Spring Security role name ({@code hasRole(...)}). */
        public String role() {
            return name();
        }

        public String authority() {
            return "ROLE_" + name();
        }

        /** This role and every role it includes. */
        public Set<StaffRole> withIncluded() {
            EnumSet<StaffRole> included = EnumSet.noneOf(StaffRole.class);
            for (StaffRole role : values()) {
                if (role.ordinal() <= ordinal()) {
                    included.add(role);
                }
            }
            return included;
        }

        public static Optional<StaffRole> of(String text) {
            try {
                return Optional.of(valueOf(text.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException | NullPointerException e) {
                return Optional.empty();
            }
        }
    }

    public HubPrincipal {
        roles = roles == null || roles.isEmpty() ? Set.of() : Set.copyOf(roles);
    }

    public static HubPrincipal partner(String partnerId) {
        return new HubPrincipal(Kind.PARTNER, partnerId, Set.of());
    }

    public static HubPrincipal staff(String user, Set<StaffRole> roles) {
        return new HubPrincipal(Kind.STAFF, user, roles);
    }

    public boolean isPartner() {
        return kind == Kind.PARTNER;
    }

    /** A staff member holding the role (directly or through a higher one). */
    public boolean has(StaffRole role) {
        return kind == Kind.STAFF && roles.stream().anyMatch(r -> r.ordinal() >= role.ordinal());
    }

    /** The caller of the current request thread, if it authenticated. */
    public static Optional<HubPrincipal> current() {
        return from(SecurityContextHolder.getContext().getAuthentication());
    }

    /** The principal an authentication stands for; empty for none or an anonymous one. */
    public static Optional<HubPrincipal> from(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return Optional.empty();
        }
        EnumSet<StaffRole> roles = EnumSet.noneOf(StaffRole.class);
        boolean partner = false;
        for (GrantedAuthority granted : authentication.getAuthorities()) {
            String authority = granted.getAuthority();
            if (PARTNER_AUTHORITY.equals(authority)) {
                partner = true;
            } else if (authority != null && authority.startsWith("ROLE_")) {
                StaffRole.of(authority.substring("ROLE_".length())).ifPresent(roles::add);
            }
        }
        if (partner) {
            return Optional.of(partner(authentication.getName()));
        }
        if (roles.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(staff(authentication.getName(), roles));
    }
}
