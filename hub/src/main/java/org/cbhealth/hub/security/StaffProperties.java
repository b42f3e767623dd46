package org.cbhealth.hub.security;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The demo staff accounts beside the integrator ({@code cbhealth.admin.*}) and an optional users file for real
 * deployments ({@code cbhealth.staff.*}).
 *
 * @param viewer the viewer account (reads the directory)
 * @param coordinator the coordinator account (also reads and manages referrals)
 * @param usersFile absolute path of a file with one account a line, {@code user:bcrypt-hash:ROLE}; may be null
 */
@ConfigurationProperties(prefix = "cbhealth.staff")
public record StaffProperties(Account viewer, Account coordinator, Path usersFile) {

    /**
     * One account; an empty password is generated at first start, printed once, only its hash kept.
     *
     * @param username the account name; empty: no such account
     * @param password its password, usually from the environment
     */
    public record Account(String username, String password) {}
}
