package org.cbhealth.routes.fhirpoll;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Bundle;

/**
 * A partner's FHIR server as far as a history poll sees it, on a real socket of the loopback interface: answers each
 * request under {@code /r4} with the page the test gives for it, and keeps every request it got.
 */
final class HistoryPagesServer implements AutoCloseable {

    /** What the server answers: an HTTP status and a Bundle (or none). */
    record Answer(int status, Bundle bundle) {
        static Answer page(Bundle bundle) {
            return new Answer(200, bundle);
        }
    }

    /** A request as the server got it: path and decoded query parameters. */
    record Request(String path, Map<String, String> parameters) {}

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Answer> answers;

    HistoryPagesServer(Function<Request, Answer> answers) {
        this.answers = answers;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/r4", this::answer);
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/r4";
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    void answerWith(Function<Request, Answer> answers) {
        this.answers = answers;
    }

    private void answer(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        Request request = new Request(uri.getPath(), parameters(uri.getRawQuery()));
        requests.add(request);
        Answer answer = answers.apply(request);
        byte[] body = answer.bundle() == null
                ? new byte[0]
                : FhirContext.forR4Cached()
                        .newJsonParser()
                        .encodeResourceToString(answer.bundle())
                        .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/fhir+json;charset=UTF-8");
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> parameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                parameters.put(
                        URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        server.stop(0);
    }
}
