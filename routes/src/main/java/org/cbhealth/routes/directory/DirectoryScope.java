package org.cbhealth.routes.directory;

import java.util.Locale;
import java.util.Optional;

/**
 * What a directory message covers. A {@link #FULL} export lists every record the partner has on that channel, so
 * records missing from it are deactivated; a {@link #PARTIAL} one (an incremental sync, a push of changes) only
 * adds and changes. Routes put it in the message attribute {@link #ATTRIBUTE}.
 */
public enum DirectoryScope {
    FULL,
    PARTIAL;

    /** The {@code InboundMessage} attribute that carries the scope: {@code full} or {@code partial}. */
    public static final String ATTRIBUTE = "cbhealth.directory.scope";

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope a value names ({@code full}, {@code partial}, any case), or empty. */
    public static Optional<DirectoryScope> of(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (DirectoryScope scope : values()) {
            if (scope.value().equalsIgnoreCase(value.strip())) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
