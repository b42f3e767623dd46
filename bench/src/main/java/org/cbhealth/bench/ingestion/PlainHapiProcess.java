package org.cbhealth.bench.ingestion;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The plain HAPI FHIR JPA server ({@code bench/plain-hapi}) as a JVM of its own, with the same {@code -Xmx} as the
 * hub, configured through its {@code PLAIN_HAPI_*} environment variables; ready when {@code /fhir/metadata} answers
 * 200.
 */
final class PlainHapiProcess implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(500);

    private final Process process;
    private final Path log;
    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final long startedNanos = System.nanoTime();

    private PlainHapiProcess(Process process, Path log, int httpPort) {
        this.process = process;
        this.log = log;
        this.base = "http://127.0.0.1:" + httpPort;
    }

    static PlainHapiProcess start(
            Path jar, List<String> jvmOptions, String jdbcUrl, String user, String password, Path log, int httpPort)
            throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx1g"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("PLAIN_HAPI_") || k.startsWith("SPRING_"));
        builder.environment()
                .putAll(Map.of(
                        "PLAIN_HAPI_HTTP_PORT", Integer.toString(httpPort),
                        "PLAIN_HAPI_DB_URL", jdbcUrl,
                        "PLAIN_HAPI_DB_USER", user,
                        "PLAIN_HAPI_DB_PASSWORD", password));
        builder.redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        return new PlainHapiProcess(builder.start(), log, httpPort);
    }

    long pid() {
        return process.pid();
    }

    /** Waits until {@code /fhir/metadata} answers 200; returns how long the server took from process start. */
    Duration awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the plain HAPI server exited with code " + process.exitValue()
                        + " while starting; its log ends:\n" + logTail(40));
            }
            if (metadataAnswers()) {
                return Duration.ofNanos(System.nanoTime() - startedNanos);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        throw new IllegalStateException("the plain HAPI server was not ready within " + timeout.toSeconds()
                + " s; its log ends:\n" + logTail(40));
    }

    private boolean metadataAnswers() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/fhir/metadata"))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(60));
        }
    }

    private String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())))
                    + "\n(full log: " + log + ")";
        } catch (IOException | RuntimeException e) {
            return "(log " + log + " unreadable: " + e.getMessage() + ")";
        }
    }
}
