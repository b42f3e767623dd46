package org.cbhealth.bench.referral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.cbhealth.bench.ProcessFigures;

/**
 * The hub under test as a JVM of its own ({@code java -Xmx1g -jar cbhealth-hub.jar}), configured only through its
 * documented environment variables, its output in a log file. Reads its health, admin API and metrics over HTTP (all
 * but the health as the integrator, HTTP Basic with the password the benchmark gave it), its
 * resident memory from {@code /proc/<pid>/status}, and stops it with SIGTERM as an orchestrator does.
 */
public final class HubProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(500);

    private final Process process;
    private final Path log;
    private final String base;
    private final String authorization;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final long startedNanos = System.nanoTime();

    private HubProcess(Process process, Path log, int httpPort, String adminUser, String adminPassword) {
        this.process = process;
        this.log = log;
        this.base = "http://127.0.0.1:" + httpPort;
        this.authorization = "Basic "
                + Base64.getEncoder()
                        .encodeToString((adminUser + ":" + adminPassword).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Starts the hub jar with {@code -Xmx1g} and exactly these {@code CBHEALTH_*}/{@code SPRING_*} variables (those
     * of this process are not passed on), its output written to {@code log}.
     */
    public static HubProcess start(Path hubJar, Map<String, String> env, Path log, int httpPort, String adminPassword)
            throws IOException {
        return start(hubJar, List.of(), env, log, httpPort, adminPassword);
    }

    /** As {@link #start(Path, Map, Path, int, String)}, with these JVM options after {@code -Xmx1g}. */
    public static HubProcess start(
            Path hubJar, List<String> jvmOptions, Map<String, String> env, Path log, int httpPort, String adminPassword)
            throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx1g"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", hubJar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("CBHEALTH_") || k.startsWith("SPRING_"));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        return new HubProcess(builder.start(), log, httpPort, "integrator", adminPassword);
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Waits until {@code /actuator/health} says UP and every route of these partners is Started; returns how long
     * the hub took from process start. Fails with the end of the hub's log when it exits or the time is up.
     */
    public Duration awaitReady(Duration timeout, List<String> partnerIds) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String waitingFor = "/actuator/health UP";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub exited with code " + process.exitValue()
                        + " while starting; its log ends:\n" + logTail(40));
            }
            Optional<JsonNode> health = get("/actuator/health", false);
            if (health.isPresent() && "UP".equals(health.get().path("status").asText())) {
                waitingFor = "routes of " + partnerIds + " Started";
                if (partnersStarted(partnerIds)) {
                    return Duration.ofNanos(System.nanoTime() - startedNanos);
                }
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        throw new IllegalStateException("the hub was not ready within " + timeout.toSeconds() + " s (waiting for "
                + waitingFor + "); its log ends:\n" + logTail(40));
    }

    private boolean partnersStarted(List<String> partnerIds) {
        Optional<JsonNode> answer = get("/api/admin/partners", true);
        if (answer.isEmpty()) {
            return false;
        }
        for (String id : partnerIds) {
            JsonNode found = null;
            for (JsonNode partner : answer.get().path("partners")) {
                if (id.equals(partner.path("id").asText())) {
                    found = partner;
                }
            }
            if (found == null || found.path("routes").isEmpty()) {
                return false;
            }
            for (JsonNode route : found.path("routes")) {
                if (!"Started".equals(route.path("state").asText())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** An admin API answer ({@code /api/admin/...}), or empty when the hub does not answer 200 with JSON. */
    public Optional<JsonNode> admin(String path) {
        return get(path, true);
    }

    /**
     * The {@code Authorization} header of the hub's integrator account (HTTP Basic), for benchmark clients that call
     * {@code /fhir} as staff.
     */
    public String authorization() {
        return authorization;
    }

    /** The hub's heap in use now, from {@code /actuator/metrics/jvm.memory.used?tag=area:heap}, in bytes. */
    public Optional<Long> heapUsedBytes() {
        return get("/actuator/metrics/jvm.memory.used?tag=area:heap", true)
                .map(m -> m.path("measurements").path(0).path("value"))
                .filter(JsonNode::isNumber)
                .map(JsonNode::asLong);
    }

    /** A {@code /proc/<pid>/status} figure in bytes ({@code VmRSS} resident now, {@code VmHWM} its peak). */
    public Optional<Long> procStatusBytes(String key) {
        return ProcessFigures.statusBytes(process.pid(), key);
    }

    /**
     * Asks the hub's JVM for a full GC with {@code jcmd <pid> GC.run} (the JDK's tool beside this JVM's {@code java};
     * the hub runs as the same user). Returns how it went, for the report: "jcmd GC.run" when done, else why not.
     */
    String fullGc() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return "not available (no jcmd in " + jcmd.getParent() + ")";
        }
        try {
            Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(gc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!gc.waitFor(60, TimeUnit.SECONDS)) {
                gc.destroyForcibly();
                return "not available (jcmd GC.run did not finish in 60 s)";
            }
            return gc.exitValue() == 0 ? "`jcmd <pid> GC.run`" : "not available (jcmd: " + out + ")";
        } catch (IOException e) {
            return "not available (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not available (interrupted)";
        }
    }

    /** The hub's log so far, or empty when it cannot be read. */
    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** CPU time the hub's JVM has used so far (all threads), when the OS tells. */
    public Optional<Duration> cpuTime() {
        return ProcessFigures.cpu(process.pid());
    }

    /** Sends SIGTERM and waits; returns how long the hub took to exit, or empty when it had to be killed. */
    public Optional<Duration> stop(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.of(Duration.ofNanos(System.nanoTime() - start));
        }
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return Optional.empty();
    }

    /** kill -9 (SIGKILL, {@link Process#destroyForcibly()} on Linux): a crash; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(60));
        }
    }

    private Optional<JsonNode> get(String path, boolean authenticated) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .GET();
        if (authenticated) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(JSON.readTree(response.body()));
        } catch (IOException notYet) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
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
