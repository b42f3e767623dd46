package org.cbhealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** What the OS tells about a process: its CPU time and its {@code /proc/<pid>/status} memory figures. */
public final class ProcessFigures {

    private ProcessFigures() {}

    /** CPU time the process has used so far (all threads), when the OS tells. */
    public static Optional<Duration> cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration());
    }

    /** A {@code /proc/<pid>/status} figure in bytes ({@code VmRSS} resident now, {@code VmHWM} its peak). */
    public static Optional<Long> statusBytes(long pid, String key) {
        try {
            return parseStatusBytes(Files.readString(Path.of("/proc", Long.toString(pid), "status")), key);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The figure {@code key} of a {@code /proc/<pid>/status} text (given in kB) in bytes. */
    static Optional<Long> parseStatusBytes(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] parts = line.substring(key.length() + 1).strip().split("\\s+");
                return Optional.of(Long.parseLong(parts[0]) * 1024);
            }
        }
        return Optional.empty();
    }
}
