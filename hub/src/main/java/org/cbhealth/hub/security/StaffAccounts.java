package org.cbhealth.hub.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cbhealth.hub.security.HubPrincipal.StaffRole;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The staff accounts (HTTP Basic): the integrator ({@code cbhealth.admin.*}), the demo viewer and coordinator
 * ({@code cbhealth.staff.viewer|coordinator.*}) and the lines of {@code cbhealth.staff.users-file}. A password not
 * given is generated at first start and printed once (all of them in one block); only its bcrypt hash is kept under
 * {@code ${cbhealth.data-dir}/secrets}. Each account holds its role and the roles it includes.
 *
 * <p>bcrypt costs about 100 ms a check: a verified (user, password) pair is remembered for {@link #CACHE_FOR}, keyed
 * by a SHA-256 of both, so a staff tool's many calls do not each pay it.
 */
public final class StaffAccounts implements AuthenticationProvider {

    static final Duration CACHE_FOR = Duration.ofMinutes(2);
    private static final int CACHE_MAX = 10_000;

    private final DaoAuthenticationProvider delegate;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(Authentication result, Instant until) {}

    private StaffAccounts(DaoAuthenticationProvider delegate) {
        this.delegate = delegate;
    }

    /** The accounts of the configuration; generates (and prints) the passwords not given. */
    public static StaffAccounts load(
            AdminProperties admin, StaffProperties staff, PasswordEncoder encoder, Path dataDirectory)
            throws IOException {
        Path secrets = dataDirectory.resolve("secrets");
        List<UserDetails> users = new ArrayList<>();
        List<String> generated = new ArrayList<>();
        users.add(account(
                admin.username(),
                admin.password(),
                StaffRole.INTEGRATOR,
                secrets.resolve("admin-password.bcrypt"),
                encoder,
                generated));
        if (staff != null && staff.viewer() != null && hasText(staff.viewer().username())) {
            users.add(account(
                    staff.viewer().username(),
                    staff.viewer().password(),
                    StaffRole.VIEWER,
                    secrets.resolve("viewer-password.bcrypt"),
                    encoder,
                    generated));
        }
        if (staff != null
                && staff.coordinator() != null
                && hasText(staff.coordinator().username())) {
            users.add(account(
                    staff.coordinator().username(),
                    staff.coordinator().password(),
                    StaffRole.COORDINATOR,
                    secrets.resolve("coordinator-password.bcrypt"),
                    encoder,
                    generated));
        }
        if (staff != null
                && staff.usersFile() != null
                && !staff.usersFile().toString().isBlank()) {
            users.addAll(usersFile(staff.usersFile()));
        }
        if (!generated.isEmpty()) {
            System.out.println("\n==== CBHealth Hub staff accounts (passwords shown once) ====\n"
                    + String.join("\n", generated)
                    + "\nSet CBHEALTH_ADMIN_PASSWORD, CBHEALTH_VIEWER_PASSWORD, CBHEALTH_COORDINATOR_PASSWORD to choose"
                    + " them; delete a hash file under " + secrets + " to generate a new one.\n"
                    + "============================================================\n");
        }
        InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager();
        for (UserDetails user : users) {
            if (manager.userExists(user.getUsername())) {
                throw new IllegalStateException("staff account " + user.getUsername() + " is defined twice");
            }
            manager.createUser(user);
        }
        DaoAuthenticationProvider dao = new DaoAuthenticationProvider(manager);
        dao.setPasswordEncoder(encoder);
        return new StaffAccounts(dao);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String key = key(authentication.getName(), String.valueOf(authentication.getCredentials()));
        Instant now = Instant.now();
        Verified known = verified.get(key);
        if (known != null && now.isBefore(known.until())) {
            return known.result();
        }
        Authentication result = delegate.authenticate(authentication);
        if (verified.size() >= CACHE_MAX) {
            verified.clear();
        }
        verified.put(
                key,
                new Verified(
                        UsernamePasswordAuthenticationToken.authenticated(
                                result.getName(), null, result.getAuthorities()),
                        now.plus(CACHE_FOR)));
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static String key(String user, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(user.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return Base64.getEncoder().encodeToString(sha.digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static UserDetails account(
            String user,
            String password,
            StaffRole role,
            Path hashFile,
            PasswordEncoder encoder,
            List<String> generated)
            throws IOException {
        String hash = hasText(password) ? encoder.encode(password) : keptHash(user, role, hashFile, encoder, generated);
        return user(user, hash, role);
    }

    private static UserDetails user(String user, String hash, StaffRole role) {
        return User.withUsername(user)
                .password(hash)
                .authorities(
                        role.withIncluded().stream().map(StaffRole::authority).toArray(String[]::new))
                .build();
    }

    /** The kept hash; at first start a new password, listed for printing, never stored in clear. */
    private static String keptHash(
            String user, StaffRole role, Path hashFile, PasswordEncoder encoder, List<String> generated)
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
        generated.add(
                "%-12s %-13s password: %s".formatted(role.name().toLowerCase(java.util.Locale.ROOT), user, password));
        return hash;
    }

    /** Lines {@code user:bcrypt-hash:ROLE}; blank lines and {@code #} comments skipped. */
    static List<UserDetails> usersFile(Path file) throws IOException {
        List<UserDetails> users = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            int first = text.indexOf(':');
            int last = text.lastIndexOf(':');
            String where = "cbhealth.staff.users-file " + file + " line " + number;
            if (first <= 0 || last <= first) {
                throw new IllegalStateException(where + ": expected user:bcrypt-hash:ROLE");
            }
            String hash = text.substring(first + 1, last);
            if (!hash.startsWith("$2")) {
                throw new IllegalStateException(where + ": the password must be a bcrypt hash ($2a$/$2b$/$2y$...)");
            }
            String roleName = text.substring(last + 1);
            StaffRole role = StaffRole.of(roleName)
                    .orElseThrow(() -> new IllegalStateException(
                            where + ": role " + roleName + " is none of VIEWER, COORDINATOR, INTEGRATOR"));
            users.add(user(text.substring(0, first), hash, role));
        }
        return users;
    }

    private static boolean hasText(String text) {
        return text != null && !text.isBlank();
    }
}
