package org.cbhealth.routes.directory.model;

import java.util.Objects;

/**
 * A text in one language, e.g. a department's name in Macedonian.
 *
 * @param language BCP 47 language tag ({@code mk}, {@code sr-Latn})
 * @param text the text as the partner wrote it
 */
public record LocalizedText(String language, String text) {

    public LocalizedText {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(text, "text");
    }
}
