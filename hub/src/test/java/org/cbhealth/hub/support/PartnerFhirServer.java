package org.cbhealth.hub.support;

import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A partner's FHIR server, as real as the hub will meet: the plain HAPI FHIR JPA server of {@code bench/plain-hapi}
 * (its packaged jar, system property {@code cbhealth.plain-hapi.jar}) in a JVM of its own, on an H2 file database
 * under a directory of the test's, with Tomcat's access log kept there so a test can see every request it got.
 */
public final class PartnerFhirServer implements AutoCloseable {

    private final Path directory;
    private final int port;
    private final Process process;

    private PartnerFhirServer(Path directory, int port, Process process) {
        this.directory = directory;
        this.port = port;
        this.process = process;
    }

    /** Starts the server on a free port and waits until it answers (a JPA server's start takes a while). */
    public static PartnerFhirServer start(Path directory, Duration startTimeout) throws IOException {
        String jarPath = System.getProperty("cbhealth.plain-hapi.jar", "../bench/plain-hapi/target/plain-hapi.jar");
        Path jar = Path.of(jarPath);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no partner FHIR server jar at " + jar.toAbsolutePath()
                    + ": package bench/plain-hapi first (mvn -pl hub -am verify does)");
        }
        Files.createDirectories(directory.resolve("access"));
        int port = FreePorts.next();
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        jar.toAbsolutePath().toString(),
                        "--spring.profiles.active=h2",
                        "--plain-hapi.data-dir=" + directory.toAbsolutePath(),
                        "--server.address=127.0.0.1",
                        "--server.port=" + port,
                        "--server.tomcat.accesslog.enabled=true",
                        "--server.tomcat.accesslog.directory="
                                + directory.resolve("access").toAbsolutePath(),
                        "--server.tomcat.accesslog.prefix=access",
                        "--server.tomcat.accesslog.suffix=.log",
                        "--server.tomcat.accesslog.rotate=false",
                        "--server.tomcat.accesslog.buffered=false",
                        "--server.tomcat.accesslog.pattern=%r %s")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("server.log").toFile())
                .start();
        PartnerFhirServer server = new PartnerFhirServer(directory, port, process);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(startTimeout).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the partner FHIR server stopped; see " + directory.resolve("server.log"));
            }
            try {
                return http.send(
                                        HttpRequest.newBuilder(URI.create(server.fhirBase() + "/metadata"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
        return server;
    }

    public int port() {
        return port;
    }

    public String fhirBase() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    /** A HAPI client as the partner's own staff and systems use their server. */
    public IGenericClient client() {
        return FhirClients.forBase(fhirBase());
    }

    /**
     * The requests the server got, in order, as their first line without the protocol, query decoded: {@code GET
     * /fhir/Organization/_history?_since=2026-11-25T13:26:53.918Z&_count=100}.
     */
    public List<String> requests() {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory.resolve("access"))) {
            for (Path file : files.sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] parts = line.split(" ");
                    if (parts.length >= 2) {
                        lines.add(parts[0] + " " + URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
