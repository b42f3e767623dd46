package org.cbhealth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** What the end-to-end benchmarks need of the machine they run on: its load, the commit, free ports, clean-up. */
public final class RunEnvironment {

    private RunEnvironment() {}

    /** {@code /proc/loadavg}'s three load averages, or "unknown". */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The short commit of the working directory's repository ({@code git rev-parse --short HEAD}), or "unknown". */
    public static String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor() == 0 && out.matches("[0-9a-f]{4,40}") ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** {@code n} distinct loopback ports that were free a moment ago. */
    public static int[] freePorts(int n) throws IOException {
        Set<Integer> seen = new HashSet<>();
        int[] ports = new int[n];
        for (int i = 0; i < n; ) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (seen.add(socket.getLocalPort())) {
                    ports[i++] = socket.getLocalPort();
                }
            }
        }
        return ports;
    }

    /** Deletes {@code root} and everything under it; a failure is told to {@code log}, not thrown. */
    public static void deleteTree(Path root, Consumer<String> log) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.accept("could not delete " + root + ": " + e.getMessage());
        }
    }
}
