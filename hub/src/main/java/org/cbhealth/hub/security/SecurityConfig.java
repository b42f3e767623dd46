package org.cbhealth.hub.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The admin API ({@code /api/admin/**}) requires the integrator account (HTTP Basic over the hub's TLS
 * terminator); nothing else is restricted yet — partner authentication on {@code /fhir} and the partner channels
 * comes with the security issue. Stateless: no session, no cookie, so no CSRF token is needed.
 */
@Configuration
public class SecurityConfig {

    public static final String ADMIN = "ADMIN";

    @Bean
    public SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.requestMatchers("/api/admin/**")
                        .hasRole(ADMIN)
                        .anyRequest()
                        .permitAll())
                .httpBasic(Customizer.withDefaults());
        return http.build();
    }

    @Bean
    public PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    public UserDetailsService adminAccount(
            AdminProperties admin, PasswordEncoder encoder, @Value("${cbhealth.data-dir}") Path dataDirectory)
            throws IOException {
        String hash = admin.password() == null || admin.password().isBlank()
                ? generatedPasswordHash(
                        dataDirectory.resolve("secrets").resolve("admin-password.bcrypt"), admin, encoder)
                : encoder.encode(admin.password());
        return new InMemoryUserDetailsManager(
                User.withUsername(admin.username()).password(hash).roles(ADMIN).build());
    }

    /** The kept hash; at first start a new password, printed once to the console, never stored in clear. */
    private static String generatedPasswordHash(Path hashFile, AdminProperties admin, PasswordEncoder encoder)
            throws IOException {
        if (Files.exists(hashFile)) {
            return Files.readString(hashFile, StandardCharsets.UTF_8).strip();
        }
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(hashFile.getParent());
        String hash = encoder.encode(password);
        Files.writeString(hashFile, hash, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(hashFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the data directory's own permissions apply
        }
        System.out.println(
                """

                ==== CBHealth Hub admin account (shown once) ====
                user:     %s
                password: %s
                Set CBHEALTH_ADMIN_PASSWORD to choose it; delete %s to generate a new one.
                ================================================
                """
                        .formatted(admin.username(), password, hashFile));
        return hash;
    }
}
