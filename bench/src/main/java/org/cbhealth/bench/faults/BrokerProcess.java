package org.cbhealth.bench.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link StandaloneBroker} as a JVM of its own, started from the jar (or class path) this class was loaded from,
 * its output in a log file; ready when its acceptor takes TCP connections. Stopped with SIGTERM.
 */
final class BrokerProcess implements AutoCloseable {

    private final Process process;
    private final StandaloneBroker.Settings settings;
    private final Path log;

    private BrokerProcess(Process process, StandaloneBroker.Settings settings, Path log) {
        this.process = process;
        this.settings = settings;
        this.log = log;
    }

    static BrokerProcess start(StandaloneBroker.Settings settings, Path log) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(
                List.of(java.toString(), "-Xmx512m", "-cp", classPath(), StandaloneBroker.class.getName()));
        command.addAll(settings.arguments());
        Files.createDirectories(settings.data());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new BrokerProcess(process, settings, log);
    }

    private static String classPath() {
        try {
            return Path.of(StandaloneBroker.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            return System.getProperty("java.class.path");
        }
    }

    String url() {
        return "tcp://" + settings.host() + ":" + settings.port();
    }

    long pid() {
        return process.pid();
    }

    /** Waits until the acceptor takes connections; fails with the broker's log when it exits or the time is up. */
    Duration awaitReady(Duration timeout) throws IOException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the standalone broker exited with code " + process.exitValue()
                        + "; its log:\n" + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(settings.host(), settings.port()), 500);
                return Duration.ofNanos(System.nanoTime() - start);
            } catch (IOException notYet) {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }
        throw new IllegalStateException("the standalone broker did not open " + url() + " within " + timeout.toSeconds()
                + " s; its log:\n" + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
