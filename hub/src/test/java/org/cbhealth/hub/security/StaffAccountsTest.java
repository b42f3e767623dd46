package org.cbhealth.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.cbhealth.hub.security.HubPrincipal.StaffRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class StaffAccountsTest {

    private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(4);

    @TempDir
    Path dataDir;

    @Test
    void accountsHoldTheirRoleAndTheIncludedOnes() throws Exception {
        StaffAccounts accounts = StaffAccounts.load(
                new AdminProperties("integrator", "i-secret"),
                new StaffProperties(
                        new StaffProperties.Account("viewer", "v-secret"),
                        new StaffProperties.Account("coordinator", "c-secret"),
                        null),
                encoder,
                dataDir);

        Optional<HubPrincipal> coordinator = HubPrincipal.from(login(accounts, "coordinator", "c-secret"));
        assertThat(coordinator).hasValueSatisfying(p -> {
            assertThat(p.has(StaffRole.VIEWER)).isTrue();
            assertThat(p.has(StaffRole.COORDINATOR)).isTrue();
            assertThat(p.has(StaffRole.INTEGRATOR)).isFalse();
        });
        assertThat(HubPrincipal.from(login(accounts, "integrator", "i-secret"))
                        .orElseThrow()
                        .roles())
                .containsExactlyInAnyOrder(StaffRole.VIEWER, StaffRole.COORDINATOR, StaffRole.INTEGRATOR);
        assertThatThrownBy(() -> login(accounts, "viewer", "wrong")).isInstanceOf(BadCredentialsException.class);
    }

    @Test
    void aPasswordNotGivenIsGeneratedOnceAndOnlyItsHashKept() throws Exception {
        StaffProperties staff = new StaffProperties(new StaffProperties.Account("viewer", ""), null, null);
        StaffAccounts.load(new AdminProperties("integrator", "i-secret"), staff, encoder, dataDir);

        Path hash = dataDir.resolve("secrets").resolve("viewer-password.bcrypt");
        assertThat(Files.readString(hash)).startsWith("$2a$");
        String kept = Files.readString(hash);
        StaffAccounts.load(new AdminProperties("integrator", "i-secret"), staff, encoder, dataDir);
        assertThat(Files.readString(hash)).isEqualTo(kept);
    }

    @Test
    void usersFileLinesAreAccounts() throws Exception {
        Path users = Files.writeString(
                dataDir.resolve("users"),
                "# staff\nalice:" + encoder.encode("a-secret") + ":coordinator\n\nbob:" + encoder.encode("b")
                        + ":VIEWER\n");
        StaffAccounts accounts = StaffAccounts.load(
                new AdminProperties("integrator", "i-secret"),
                new StaffProperties(null, null, users),
                encoder,
                dataDir);

        assertThat(HubPrincipal.from(login(accounts, "alice", "a-secret"))
                        .orElseThrow()
                        .has(StaffRole.COORDINATOR))
                .isTrue();

        Files.writeString(users, "carol:plain:VIEWER\n");
        assertThatThrownBy(() -> StaffAccounts.load(
                        new AdminProperties("integrator", "x"),
                        new StaffProperties(null, null, users),
                        encoder,
                        dataDir))
                .hasMessageContaining("line 1: the password must be a bcrypt hash");
        Files.writeString(users, "carol:" + encoder.encode("c") + ":ADMIN\n");
        assertThatThrownBy(() -> StaffAccounts.load(
                        new AdminProperties("integrator", "x"),
                        new StaffProperties(null, null, users),
                        encoder,
                        dataDir))
                .hasMessageContaining("role ADMIN is none of VIEWER, COORDINATOR, INTEGRATOR");
    }

    @Test
    void aVerifiedPasswordIsRememberedButAWrongOneIsNot() throws Exception {
        StaffAccounts accounts = StaffAccounts.load(
                new AdminProperties("integrator", "i-secret"), new StaffProperties(null, null, null), encoder, dataDir);

        Authentication first = login(accounts, "integrator", "i-secret");
        Authentication second = login(accounts, "integrator", "i-secret");

        assertThat(second.getName()).isEqualTo(first.getName());
        assertThat(second.getAuthorities()).isEqualTo(first.getAuthorities());
        assertThat(second.getCredentials()).isNull();
        assertThatThrownBy(() -> login(accounts, "integrator", "i-secret-"))
                .isInstanceOf(BadCredentialsException.class);
    }

    private static Authentication login(StaffAccounts accounts, String user, String password) {
        return accounts.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(user, password));
    }
}
