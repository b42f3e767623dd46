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

    public static Path path(String name) {
        return ROOT.resolve(name);
    }
}
