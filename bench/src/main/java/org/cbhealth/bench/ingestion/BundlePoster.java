package org.cbhealth.bench.ingestion;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Posts transaction Bundles to a server's {@code /fhir} base with a fixed number of clients, each posting its next
 * Bundle as soon as the previous one is answered, and times each from just before the request is sent to the full
 * answer. Each request carries the same {@code Authorization} header when the server needs one (the hub: its
 * integrator account over HTTP Basic, whose check the hub caches, so it costs one bcrypt per run, not per Bundle).
 */
final class BundlePoster {

    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
    private static final int ERROR_TEXT_LIMIT = 300;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final int clients;

    BundlePoster(int clients) {
        this.clients = clients;
    }

    /**
     * Posts all {@code bodies} to {@code fhirBase} (e.g. {@code http://127.0.0.1:8080/fhir}) and waits for all;
     * {@code authorization} is the {@code Authorization} header value, or null for a server without security.
     */
    RoundResult post(String fhirBase, String authorization, List<byte[]> bodies) throws InterruptedException {
        long[] latencies = new long[bodies.size()];
        String[] errors = new String[bodies.size()];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                        long sent = System.nanoTime();
                        errors[i] = postOne(fhirBase, authorization, bodies.get(i));
                        latencies[i] = System.nanoTime() - sent;
                    }
                }));
            }
            for (Future<?> client : running) {
                try {
                    client.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a client failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long end = System.nanoTime();
        List<String> errorTexts = new ArrayList<>();
        for (String error : errors) {
            if (error != null) {
                errorTexts.add(error);
            }
        }
        return new RoundResult(bodies.size(), end - start, latencies, errorTexts);
    }

    /** Null when the server answered 200 to the transaction; otherwise what went wrong, shortened. */
    private String postOne(String fhirBase, String authorization, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fhirBase))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return null;
            }
            return "HTTP " + response.statusCode() + ": " + shorten(response.body());
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + shorten(String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String shorten(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= ERROR_TEXT_LIMIT ? line : line.substring(0, ERROR_TEXT_LIMIT) + "…";
    }
}
