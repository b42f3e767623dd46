package org.cbhealth.hub.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The demo partner files shipped with the hub, copied into a directory for a test. */
public final class DemoPartners {

    public static final List<String> FILES = List.of(
            "at-klinikum-klagenfurt.yaml",
            "bg-mbal-blagoevgrad.yaml",
            "mk-kb-stip.yaml",
            "pl-usk-rzeszow.yaml",
            "si-ukc-maribor.yaml",
            "ua-lviv-regional-hospital.yaml");

    private DemoPartners() {}

    public static void copyTo(Path directory) throws IOException {
        for (String file : FILES) {
            try (InputStream in = DemoPartners.class.getResourceAsStream("/demo-partners/" + file)) {
                Files.copy(in, directory.resolve(file));
            }
        }
    }
}
