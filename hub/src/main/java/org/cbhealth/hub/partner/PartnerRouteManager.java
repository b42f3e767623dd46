package org.cbhealth.hub.partner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.cbhealth.hub.partner.PartnerDefinition.InboundChannel;
import org.cbhealth.hub.partner.PartnerDefinition.OutboundChannel;
import org.cbhealth.hub.routing.DeliveryProperties;
import org.cbhealth.routes.fhirpoll.FhirPollRouteTemplates;
import org.cbhealth.routes.fhirpoll.FhirPollSettings;
import org.cbhealth.routes.partner.DeliveryBreaker;
import org.cbhealth.routes.partner.PartnerRouteTemplates;
import org.cbhealth.routes.partner.SoapPollRouteTemplates;
import org.cbhealth.routes.partner.SoapRouteTemplates;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Instantiates a partner's routes from the route templates, one per channel, with stable ids
 * ({@code partner-<id>-<channel>-<flow>}, and {@code partner-<id>-outbound-delivery}); stops, starts and
 * removes exactly one partner's routes. Stopping waits for in-flight messages (graceful, bounded); queued
 * messages stay on their queues until the routes run again.
 */
@Component
public class PartnerRouteManager {

    /** A route of a partner and its state; a channel whose kind has no template yet has no route. */
    public record RouteState(
            String routeId, String channel, String kind, String state, String endpoint, String breaker) {

        RouteState(String routeId, String channel, String kind, String state, String endpoint) {
            this(routeId, channel, kind, state, endpoint, null);
        }
    }

    /** How long a soap-poll channel waits after a poll before the next, unless its settings say otherwise. */
    static final Duration SOAP_POLL_INTERVAL = Duration.ofMinutes(15);

    private final CamelContext camel;
    private final PartnerProperties properties;
    private final DeliveryProperties delivery;
    private final Path dataDirectory;
    private final Map<String, List<RouteState>> routesOfPartner = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong tlsBindings = new java.util.concurrent.atomic.AtomicLong();

    public PartnerRouteManager(
            CamelContext camel,
            PartnerProperties properties,
            DeliveryProperties delivery,
            @Value("${cbhealth.data-dir}") Path dataDirectory) {
        this.camel = camel;
        this.properties = properties;
        this.delivery = delivery;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Adds and starts the partner's routes. When one cannot start (e.g. its port is taken), the partner's routes
     * added so far are removed again and the failure is thrown.
     */
    public void start(PartnerDefinition partner) throws Exception {
        start(partner, true);
    }

    /** As {@link #start(PartnerDefinition)}; with {@code autoStartup} false the routes are added stopped. */
    public void start(PartnerDefinition partner, boolean autoStartup) throws Exception {
        List<RouteState> routes = new ArrayList<>();
        routesOfPartner.put(partner.id(), routes);
        try {
            for (InboundChannel channel : partner.inbound()) {
                String routeId = routeId(partner.id(), channel.name(), channel.flow().yaml);
                String template = inboundTemplate(channel);
                if (template == null) {
                    routes.add(new RouteState(routeId, channel.name(), channel.kind().yaml, "not available", null));
                    continue;
                }
                TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(camel, template)
                        .routeId(routeId)
                        .parameter("partnerId", partner.id())
                        .parameter("channel", channel.name())
                        .parameter("autoStartup", Boolean.toString(autoStartup));
                inboundParameters(channel).forEach(builder::parameter);
                routes.add(new RouteState(routeId, channel.name(), channel.kind().yaml, null, null));
                builder.add();
            }
            if (partner.outbound() != null) {
                String routeId = routeId(partner.id(), "outbound", "delivery");
                OutboundChannel outbound = partner.outbound();
                TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(camel, outboundTemplate(outbound))
                        .routeId(routeId)
                        .parameter("partnerId", partner.id())
                        .parameter("autoStartup", Boolean.toString(autoStartup));
                outboundParameters(outbound).forEach(builder::parameter);
                delivery.templateParameters().forEach(builder::parameter);
                routes.add(new RouteState(routeId, "outbound", outbound.kind().yaml, null, null));
                builder.add();
            }
        } catch (Exception e) {
            remove(partner.id());
            throw e;
        }
    }

    /** Stops (waiting for in-flight messages) and removes the partner's routes. */
    public void remove(String partnerId) throws Exception {
        List<RouteState> routes = routesOfPartner.remove(partnerId);
        if (routes == null) {
            return;
        }
        for (RouteState route : routes) {
            if (camel.getRoute(route.routeId()) != null) {
                camel.getRouteController()
                        .stopRoute(route.routeId(), properties.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
                camel.removeRoute(route.routeId());
            }
        }
    }

    /** Stops the partner's routes, keeping them (an admin's stop); their queues keep what arrives. */
    public void suspend(String partnerId) throws Exception {
        for (RouteState route : routesOfPartner.getOrDefault(partnerId, List.of())) {
            if (camel.getRoute(route.routeId()) != null) {
                camel.getRouteController()
                        .stopRoute(route.routeId(), properties.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    public void resume(String partnerId) throws Exception {
        for (RouteState route : routesOfPartner.getOrDefault(partnerId, List.of())) {
            if (camel.getRoute(route.routeId()) != null) {
                camel.getRouteController().startRoute(route.routeId());
            }
        }
    }

    /**
     * The partner's routes with their current state (Started, Stopped, ... or "not available"); a delivery route
     * also with its breaker ({@code closed}, {@code open}, {@code half-open}), and Suspended while it is open.
     */
    public List<RouteState> routes(String partnerId) {
        List<RouteState> states = new ArrayList<>();
        for (RouteState route : routesOfPartner.getOrDefault(partnerId, List.of())) {
            String state = route.state();
            String endpoint = null;
            String breaker = null;
            if (state == null) {
                ServiceStatus status = camel.getRouteController().getRouteStatus(route.routeId());
                state = status == null ? "Removed" : status.name();
                org.apache.camel.Route camelRoute = camel.getRoute(route.routeId());
                endpoint = camelRoute == null ? null : camelRoute.getEndpoint().getEndpointUri();
                DeliveryBreaker deliveryBreaker = camelRoute == null ? null : breakerOf(camelRoute);
                if (deliveryBreaker != null) {
                    breaker = deliveryBreaker.state();
                    if (DeliveryBreaker.OPEN.equals(breaker) && status == ServiceStatus.Started) {
                        state = ServiceStatus.Suspended.name();
                    }
                }
            }
            states.add(new RouteState(route.routeId(), route.channel(), route.kind(), state, endpoint, breaker));
        }
        return states;
    }

    private static DeliveryBreaker breakerOf(org.apache.camel.Route route) {
        return route.getRoutePolicyList().stream()
                .filter(DeliveryBreaker.class::isInstance)
                .map(DeliveryBreaker.class::cast)
                .findFirst()
                .orElse(null);
    }

    public static String routeId(String partnerId, String channel, String flow) {
        return "partner-" + partnerId + "-" + channel + "-" + flow;
    }

    /** The template of an inbound channel kind, or null when this hub version has none for it. */
    static String inboundTemplate(InboundChannel channel) {
        return switch (channel.kind()) {
            case JMS -> PartnerRouteTemplates.INBOUND_JMS;
            case MLLP -> MllpTls.enabled(channel.settings())
                    ? PartnerRouteTemplates.INBOUND_MLLP_TLS
                    : PartnerRouteTemplates.INBOUND_MLLP;
            case FILE -> PartnerRouteTemplates.INBOUND_FILE;
            case REST -> PartnerRouteTemplates.INBOUND_REST;
            case SOAP -> SoapRouteTemplates.INBOUND_SOAP;
            case SOAP_POLL -> SoapPollRouteTemplates.INBOUND_SOAP_POLL;
            case FHIR_POLL -> FhirPollRouteTemplates.INBOUND_FHIR_POLL;
        };
    }

    private static String outboundTemplate(OutboundChannel outbound) {
        return switch (outbound.kind()) {
            case JMS -> PartnerRouteTemplates.OUTBOUND_JMS;
            case FHIR_REST -> PartnerRouteTemplates.OUTBOUND_FHIR_REST;
            case MLLP -> MllpTls.enabled(outbound.settings())
                    ? PartnerRouteTemplates.OUTBOUND_MLLP_TLS
                    : PartnerRouteTemplates.OUTBOUND_MLLP;
            case SOAP -> PartnerRouteTemplates.OUTBOUND_SOAP;
        };
    }

    private Map<String, Object> inboundParameters(InboundChannel channel) {
        Map<String, Object> settings = channel.settings();
        Map<String, Object> parameters = new LinkedHashMap<>();
        switch (channel.kind()) {
            case JMS -> parameters.put("queue", settings.get("queue"));
            case MLLP -> {
                parameters.put("port", settings.get("port"));
                parameters.put("host", settings.getOrDefault("host", "0.0.0.0"));
                parameters.put("charset", settings.getOrDefault("charset", "UTF-8"));
                if (MllpTls.enabled(settings)) {
                    parameters.put("tls", bindTls(MllpTls.parameters(settings, true)));
                }
            }
            case FILE -> parameters.put("directory", inbox(String.valueOf(settings.get("directory"))));
            case SOAP_POLL -> {
                parameters.put("address", settings.get("address"));
                parameters.put("interval", millis(settings.get("interval"), SOAP_POLL_INTERVAL));
                parameters.put("connectTimeout", millis(settings.get("connectTimeout"), Duration.ofSeconds(10)));
                parameters.put("receiveTimeout", millis(settings.get("receiveTimeout"), Duration.ofSeconds(60)));
                parameters.put("pageSize", settings.getOrDefault("pageSize", 100));
                parameters.put("maxPages", settings.getOrDefault("maxPages", 500));
            }
            case FHIR_POLL -> parameters.putAll(FhirPollSettings.of(settings).asParameters());
            default -> {}
        }
        return parameters;
    }

    private Map<String, Object> outboundParameters(OutboundChannel outbound) {
        Map<String, Object> settings = outbound.settings();
        Map<String, Object> parameters = new LinkedHashMap<>();
        switch (outbound.kind()) {
            case JMS -> parameters.put("queue", settings.get("queue"));
            case FHIR_REST -> parameters.put("baseUrl", delivery.withTimeouts(settings.get("baseUrl")));
            case MLLP -> {
                parameters.put("host", settings.get("host"));
                parameters.put("port", settings.get("port"));
                parameters.put("connectTimeout", delivery.connectTimeout().toMillis());
                parameters.put("receiveTimeout", delivery.receiveTimeout().toMillis());
                if (MllpTls.enabled(settings)) {
                    parameters.put("tls", bindTls(MllpTls.parameters(settings, false)));
                }
            }
            case SOAP -> parameters.put("address", delivery.withTimeouts(settings.get("address")));
        }
        return parameters;
    }

    /**
     * Puts a channel's TLS parameters in Camel's registry under a name of their own, new at each start: the
     * endpoint URI names it, so a channel restarted with other certificates gets a new endpoint, never a cached one.
     */
    private String bindTls(org.apache.camel.support.jsse.SSLContextParameters parameters) {
        String name = "cbhMllpTls" + tlsBindings.incrementAndGet();
        camel.getRegistry().bind(name, parameters);
        return name;
    }

    private static String millis(Object setting, Duration fallback) {
        return Long.toString(DurationSetting.parse(setting, fallback).toMillis());
    }

    /** A file channel's folder; a relative one is under the hub's data directory. */
    String inbox(String directory) {
        Path path = Path.of(directory);
        return (path.isAbsolute() ? path : dataDirectory.resolve(path))
                .toAbsolutePath()
                .normalize()
                .toString();
    }
}
