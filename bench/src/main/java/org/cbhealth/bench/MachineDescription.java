package org.cbhealth.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a result was measured on: cores, memory, CPU model, OS and JDK. */
public record MachineDescription(int cores, long memoryBytes, String cpu, String os, String jdk) {

    public static MachineDescription current() {
        long memory =
                ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                        ? os.getTotalMemorySize()
                        : -1;
        return new MachineDescription(
                Runtime.getRuntime().availableProcessors(),
                memory,
                cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return "unknown";
        }
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    public String asMarkdown() {
        return "| machine | |\n| --- | --- |\n"
                + "| cores | " + cores + " |\n"
                + "| memory | " + (memoryBytes > 0 ? memoryBytes / (1024 * 1024 * 1024) + " GiB" : "unknown") + " |\n"
                + "| CPU | " + cpu + " |\n"
                + "| OS | " + os + " |\n"
                + "| JDK | " + jdk + " |\n";
    }
}
