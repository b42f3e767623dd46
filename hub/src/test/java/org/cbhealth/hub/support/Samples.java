package org.cbhealth.hub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The partner samples kept with the routes module's tests (the hub's tests run with the module as directory). */
public final class Samples {

    private static final Path ROOT = Path.of("..", "routes", "src", "test", "resources", "samples");

    private Samples() {}

    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(ROOT.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An HL7 v2 sample as text, sent in the name of {@code sendingFacility} (its MSH-4): a partner's connection takes
     * only its own facilities (by default the partner id), see {@code sendingFacilities} in the README.
     */
    public static String hl7From(String name, String sendingFacility) {
        String text = new String(bytes(name), java.nio.charset.StandardCharsets.UTF_8);
        String[] fields = text.split("\\|", 5);
        return text.replaceFirst(
                java.util.regex.Pattern.quote("|" + fields[3] + "|"),
                java.util.regex.Matcher.quoteReplacement("|" + sendingFacility + "|"));
    }

    public static Path path(String name) {
        return ROOT.resolve(name);
    }
}
