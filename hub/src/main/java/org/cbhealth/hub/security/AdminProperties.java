package org.cbhealth.hub.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The integrator account of the admin API ({@code cbhealth.admin.*}).
 *
 * @param username the account name
 * @param password its password, from the environment ({@code CBHEALTH_ADMIN_PASSWORD}); when empty, a password is
 *     generated at first start, printed once, and only its hash is kept under the data directory
 */
@ConfigurationProperties(prefix = "cbhealth.admin")
public record AdminProperties(String username, String password) {}
