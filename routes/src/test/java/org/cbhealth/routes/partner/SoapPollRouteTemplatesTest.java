package org.cbhealth.routes.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.camel.BindToRegistry;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.cxf.Bus;
import org.apache.cxf.bus.CXFBusFactory;
import org.cbhealth.routes.directory.DirectoryScope;
import org.cbhealth.routes.directory.soap.DirectoryXml;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The soap-poll template with a real CXF client polling a partner's directory service over a real socket (a scripted
 * HTTP server answering page by page), the parked queue replaced by a mock: what the hub asks, what it hands over,
 * and that a poll that fails (Fault, HTTP error, no answer, too slow) hands over nothing and the next poll asks again.
 */
class SoapPollRouteTemplatesTest extends CamelTestSupport {

    private static final String ROUTE = "partner-si-ukc-maribor-directory-directory";
    private static final String NS = "https://fhir.cbhealth.eu/soap/directory/v1";

    private final List<InboundMessage> handled = new CopyOnWriteArrayList<>();
    private final List<String> parkedPartners = new CopyOnWriteArrayList<>();
    private final List<String> failedPolls = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final CountDownLatch overlapped = new CountDownLatch(1);
    /** How long the partner holds each answer back, unless another request comes in meanwhile. */
    private volatile long lingerMillis;

    private final ExecutorService partnerThreads = Executors.newFixedThreadPool(4);
    private Function<InboundMessage, InboundOutcome> outcome =
            m -> new InboundOutcome(List.of("HealthcareService/1/_history/1"), List.of(), List.of());
    /** The partner's answer to the n-th request (from 1): HTTP status and body. */
    private volatile Function<Integer, Answer> partner;

    private HttpServer server;

    record Request(String soapAction, String contentType, List<String> headerNames, String body) {}

    record Answer(int status, String body) {}

    /** The CXF bus the template's client runs on, as the hub's registry has it. */
    @BindToRegistry(Bus.DEFAULT_BUS_ID)
    private final Bus bus = new CXFBusFactory().createBus();

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        InboundHandler handler = message -> {
            handled.add(message);
            return outcome.apply(message);
        };
        PartnerEvents events = new PartnerEvents() {
            @Override
            public void parked(String partnerId) {
                parkedPartners.add(partnerId);
            }

            @Override
            public void delivered(String partnerId) {}

            @Override
            public void deliveryFailed(String partnerId) {}

            @Override
            public void pollFailed(String partnerId) {
                failedPolls.add(partnerId);
            }
        };
        return new SoapPollRouteTemplates(handler, events, "hub.parked", 1_000_000);
    }

    @AfterEach
    void stopPartner() {
        released.countDown();
        if (server != null) {
            server.stop(0);
        }
        partnerThreads.shutdownNow();
        bus.shutdown(true);
    }

    private String startPartner() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(partnerThreads);
        server.createContext("/directory", exchange -> {
            int now = inFlight.incrementAndGet();
            mostInFlight.accumulateAndGet(now, Math::max);
            if (now > 1) {
                overlapped.countDown();
            }
            try {
                if (lingerMillis > 0) {
                    overlapped.await(lingerMillis, TimeUnit.MILLISECONDS);
                }
                answer(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/directory";
    }

    private void answer(HttpExchange exchange) throws IOException, InterruptedException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        requests.add(new Request(
                exchange.getRequestHeaders().getFirst("SOAPAction"),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                List.copyOf(exchange.getRequestHeaders().keySet()),
                new String(body, StandardCharsets.UTF_8)));
        Answer answer = partner.apply(requests.size());
        if (answer == null) { // too slow: answers only when the test ends
            released.await(30, TimeUnit.SECONDS);
            exchange.close();
            return;
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=UTF-8");
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private void start(String address, String interval) throws Exception {
        start(address, interval, "10000");
    }

    private void start(String address, String interval, String receiveTimeout) throws Exception {
        TemplatedRouteBuilder.builder(context, SoapPollRouteTemplates.INBOUND_SOAP_POLL)
                .routeId(ROUTE)
                .parameter("partnerId", "si-ukc-maribor")
                .parameter("channel", "directory")
                .parameter("address", address)
                .parameter("interval", interval)
                .parameter("delay", "0")
                .parameter("pageSize", "2")
                .parameter("receiveTimeout", receiveTimeout)
                .parameter("connectTimeout", "1000")
                .add();
        AdviceWith.adviceWith(context, ROUTE, route -> route.interceptSendToEndpoint("jms:*")
                .skipSendToOriginalEndpoint()
                .to("mock:parked"));
        context.start();
    }

    private static Answer page(int page, int records, String next) {
        return new Answer(200, DirectoryXml.page("snap-7", page, 3, records, next));
    }

    private static Answer fault(String faultCode, String code, String text) {
        return new Answer(
                500,
                DirectoryXml.envelope("<s:Fault xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><faultcode>s:"
                        + faultCode + "</faultcode><faultstring>" + text + "</faultstring><detail><d:DirectoryFault"
                        + " xmlns:d=\"" + NS + "\"><d:code>" + code
                        + "</d:code></d:DirectoryFault></detail></s:Fault>"));
    }

    /** Counts the polls (each one run of the route) that end from now on. */
    private NotifyBuilder polls(int polls) {
        return new NotifyBuilder(context).fromRoute(ROUTE).whenDone(polls).create();
    }

    private static void await(NotifyBuilder polls) {
        assertThat(polls.matches(20, TimeUnit.SECONDS)).as("polls ended").isTrue();
    }

    @Test
    void shouldFollowThePagesAndHandOverTheCompleteListingAsAFullExport() throws Exception {
        partner = n -> n == 1 ? page(1, 2, "tok-2") : page(2, 1, null);
        NotifyBuilder onePoll = polls(1);
        start(startPartner(), "3600000");

        await(onePoll);
        assertThat(requests).hasSize(2);
        List<Request> sent = List.copyOf(requests);
        assertThat(sent.get(0).soapAction()).isEqualTo("\"" + NS + "/ListDirectory\"");
        assertThat(sent.get(0).contentType()).startsWith("text/xml");
        assertThat(sent.get(0).headerNames()).noneMatch(h -> h.startsWith("Cbhealth") || h.startsWith("Camel"));
        DirectoryXml first = DirectoryXml.of(sent.get(0).body());
        DirectoryXml second = DirectoryXml.of(sent.get(1).body());
        assertThat(first.text("/s11:Envelope/s11:Body/dir:ListDirectory/dir:pageSize"))
                .isEqualTo("2");
        assertThat(first.count("//dir:pageToken")).isZero();
        assertThat(second.text("/s11:Envelope/s11:Body/dir:ListDirectory/dir:pageToken"))
                .isEqualTo("tok-2");

        assertThat(handled).hasSize(1);
        InboundMessage message = handled.get(0);
        assertThat(message.partnerId()).isEqualTo("si-ukc-maribor");
        assertThat(message.channel()).isEqualTo("directory");
        assertThat(message.attributes())
                .isEqualTo(Map.of("contentType", "application/xml; charset=UTF-8", DirectoryScope.ATTRIBUTE, "full"));
        DirectoryXml listing = DirectoryXml.of(message.body());
        assertThat(listing.count("/dir:PolledDirectory/dir:ListDirectoryResponse"))
                .isEqualTo(2);
        assertThat(listing.text("/dir:PolledDirectory/dir:ListDirectoryResponse[2]/dir:department/dir:departmentCode"))
                .isEqualTo("D2-1");
        assertThat(failedPolls).isEmpty();
        parked().expectedMessageCount(0);
        parked().assertIsSatisfied();
    }

    @Test
    void shouldNeverRunTwoPollsOfTheChannelAtOnce() throws Exception {
        partner = n -> n % 2 == 1 ? page(1, 2, "tok-2") : page(2, 1, null);
        lingerMillis = 300; // a slow partner: each answer takes 300 ms, unless a second request overlaps it
        NotifyBuilder threePolls = polls(3);
        start(startPartner(), "10");

        await(threePolls);

        assertThat(mostInFlight.get()).isEqualTo(1);
        assertThat(handled).hasSizeGreaterThanOrEqualTo(3);
        assertThat(failedPolls).isEmpty();
    }

    @Test
    void shouldPollAgainOnceTheChannelsRouteWasReplaced() throws Exception {
        partner = n -> n % 2 == 1 ? page(1, 2, "tok-2") : page(2, 1, null);
        NotifyBuilder firstPoll = polls(1);
        String address = startPartner();
        start(address, "3600000");
        await(firstPoll);

        // a changed partner file: the hub removes the channel's route and adds it again
        context.getRouteController().stopRoute(ROUTE);
        context.removeRoute(ROUTE);
        NotifyBuilder pollOfTheNewRoute = polls(1);
        TemplatedRouteBuilder.builder(context, SoapPollRouteTemplates.INBOUND_SOAP_POLL)
                .routeId(ROUTE)
                .parameter("partnerId", "si-ukc-maribor")
                .parameter("channel", "directory")
                .parameter("address", address)
                .parameter("interval", "3600000")
                .parameter("delay", "0")
                .parameter("pageSize", "2")
                .parameter("receiveTimeout", "10000")
                .add();
        await(pollOfTheNewRoute);

        assertThat(handled).hasSize(2);
        assertThat(failedPolls).isEmpty();
    }

    @Test
    void shouldHandOverNothingWhenAPageIsAFaultAndTakeTheListingAtTheNextPoll() throws Exception {
        partner = n -> switch (n) {
            case 1 -> page(1, 2, "tok-2");
            case 2 -> fault("Server", "ServiceUnavailable", "directory database is being backed up");
            case 3 -> page(1, 2, "tok-2b");
            default -> page(2, 1, null);
        };
        NotifyBuilder firstPoll = polls(1);
        NotifyBuilder secondPoll = polls(2);
        start(startPartner(), "100");

        await(firstPoll);
        int afterFailedPoll = handled.size();
        await(secondPoll);

        assertThat(afterFailedPoll).isZero();
        assertThat(failedPolls).isNotEmpty().containsOnly("si-ukc-maribor");
        assertThat(handled).isNotEmpty();
        assertThat(List.copyOf(requests).get(3).body()).contains("tok-2b");
    }

    @Test
    void shouldHandOverNothingWhileThePartnerIsDown() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        NotifyBuilder twoPolls = polls(2);
        start("http://127.0.0.1:" + closedPort + "/directory", "100");

        await(twoPolls);

        assertThat(handled).isEmpty();
        assertThat(failedPolls).hasSizeGreaterThanOrEqualTo(2).containsOnly("si-ukc-maribor");
        parked().expectedMessageCount(0);
        parked().assertIsSatisfied();
    }

    @Test
    void shouldHandOverNothingWhenThePartnerAnswers503() throws Exception {
        partner = n -> n == 1 ? new Answer(503, "") : n == 2 ? page(1, 2, "tok-2") : page(2, 1, null);
        NotifyBuilder twoPolls = polls(2);
        start(startPartner(), "100");

        await(twoPolls);

        assertThat(handled).isNotEmpty();
        assertThat(requests.size()).isGreaterThanOrEqualTo(3);
        assertThat(List.copyOf(requests).get(1).body()).doesNotContain("pageToken"); // the second poll starts over
    }

    @Test
    void shouldGiveUpOnAPartnerSlowerThanTheReceiveTimeout() throws Exception {
        partner = n -> null;
        NotifyBuilder onePoll = polls(1);
        start(startPartner(), "3600000", "1000");

        await(onePoll);

        assertThat(requests).hasSize(1);
        assertThat(handled).isEmpty();
        assertThat(failedPolls).containsExactly("si-ukc-maribor");
    }

    @Test
    void shouldParkACompleteListingTheHubRefusesWithTheReason() throws Exception {
        partner = n -> n == 1 ? page(1, 2, "tok-2") : page(2, 1, null);
        outcome = m -> {
            throw new InvalidMessageException(
                    "Directory listing refused",
                    List.of(new InputProblem(
                            "/PolledDirectory/ListDirectoryResponse[1]/totalRecords", "not complete")));
        };
        parked().expectedMessageCount(1);
        parked().expectedHeaderReceived(PartnerHeaders.PARTNER, "si-ukc-maribor");
        parked().expectedHeaderReceived(PartnerHeaders.CHANNEL, "directory");
        parked().expectedHeaderReceived(PartnerHeaders.FAILED_BY, "sender");
        parked().expectedHeaderReceived(
                        PartnerHeaders.PARK_REASON,
                        "Directory listing refused: /PolledDirectory/ListDirectoryResponse[1]/totalRecords: not complete");
        NotifyBuilder onePoll = polls(1);
        start(startPartner(), "3600000");

        await(onePoll);

        parked().assertIsSatisfied();
        byte[] kept = parked().getReceivedExchanges().get(0).getIn().getBody(byte[].class);
        assertThat(kept).isEqualTo(handled.get(0).body());
        assertThat(parkedPartners).containsExactly("si-ukc-maribor");
        assertThat(failedPolls).isEmpty();
    }

    private MockEndpoint parked() {
        return getMockEndpoint("mock:parked");
    }
}
