package org.cbhealth.hub.admin;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.cbhealth.hub.partner.ConfigProblem;
import org.cbhealth.hub.partner.CustomRoutes;
import org.cbhealth.hub.partner.FhirPollCheckpoints;
import org.cbhealth.hub.partner.PartnerConfigWatcher;
import org.cbhealth.hub.partner.PartnerCounters;
import org.cbhealth.hub.partner.PartnerDefinition;
import org.cbhealth.hub.partner.PartnerDefinition.InboundChannel;
import org.cbhealth.hub.partner.PartnerInboundHandler;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.cbhealth.hub.partner.PartnerRouteManager;
import org.cbhealth.routes.partner.PartnerUnavailableException;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The integrators' admin API (authenticated, see {@code SecurityConfig}): the partners with their routes, route
 * states (a fhir-poll channel's with its checkpoint and last poll) and counters; refused files; stop and start of
 * one partner; a reload now; and the dry-run of a sample message, which returns the FHIR it would produce and the
 * outcome of the checks, storing and sending nothing.
 */
@RestController
@RequestMapping(path = "/api/admin", produces = MediaType.APPLICATION_JSON_VALUE)
public class AdminController {

    private final PartnerRegistry registry;
    private final PartnerRouteManager routes;
    private final PartnerCounters counters;
    private final PartnerInboundHandler handler;
    private final PartnerConfigWatcher watcher;
    private final CustomRoutes customRoutes;
    private final FhirContext fhirContext;
    private final FhirPollCheckpoints checkpoints;
    private final ObjectMapper json = new ObjectMapper();

    public AdminController(
            PartnerRegistry registry,
            PartnerRouteManager routes,
            PartnerCounters counters,
            PartnerInboundHandler handler,
            PartnerConfigWatcher watcher,
            CustomRoutes customRoutes,
            FhirContext fhirContext,
            FhirPollCheckpoints checkpoints) {
        this.registry = registry;
        this.routes = routes;
        this.counters = counters;
        this.handler = handler;
        this.watcher = watcher;
        this.customRoutes = customRoutes;
        this.fhirContext = fhirContext;
        this.checkpoints = checkpoints;
    }

    @GetMapping("/partners")
    public ObjectNode partners() {
        ObjectNode answer = json.createObjectNode();
        ArrayNode partners = answer.putArray("partners");
        registry.partners().keySet().stream().sorted().forEach(id -> partners.add(partner(id)));
        problems(answer.putArray("problems"), registry.problems());
        problems(answer.putArray("warnings"), registry.warnings());
        return answer;
    }

    @GetMapping("/partners/{partnerId}")
    public ResponseEntity<ObjectNode> onePartner(@PathVariable String partnerId) {
        if (registry.definition(partnerId).isEmpty()) {
            return notFound(partnerId);
        }
        return ResponseEntity.ok(partner(partnerId));
    }

    @PostMapping("/partners/{partnerId}/stop")
    public ResponseEntity<ObjectNode> stop(@PathVariable String partnerId) throws Exception {
        return registry.suspend(partnerId) ? ResponseEntity.ok(partner(partnerId)) : notFound(partnerId);
    }

    @PostMapping("/partners/{partnerId}/start")
    public ResponseEntity<ObjectNode> start(@PathVariable String partnerId) throws Exception {
        return registry.resume(partnerId) ? ResponseEntity.ok(partner(partnerId)) : notFound(partnerId);
    }

    /** Checks both configuration directories now instead of at the next scan. */
    @PostMapping("/reload")
    public ObjectNode reload() {
        watcher.scan();
        return partners();
    }

    @GetMapping("/routes")
    public ObjectNode customRoutes() {
        ObjectNode answer = json.createObjectNode();
        ObjectNode files = answer.putObject("files");
        customRoutes.loaded().forEach((file, loaded) -> {
            ArrayNode ids = files.putArray(file);
            loaded.routeIds().forEach(ids::add);
        });
        problems(answer.putArray("problems"), customRoutes.problems());
        return answer;
    }

    /**
     * {@code POST /api/admin/partners/{id}/dry-run?channel=NAME} (or {@code ?flow=directory} when one channel has
     * that flow) with a sample message as the body.
     */
    @PostMapping("/partners/{partnerId}/dry-run")
    public ResponseEntity<ObjectNode> dryRun(
            @PathVariable String partnerId,
            @RequestParam(required = false) String channel,
            @RequestParam(required = false) String flow,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestBody(required = false) byte[] body)
            throws IOException {
        PartnerDefinition partner = registry.definition(partnerId).orElse(null);
        if (partner == null) {
            return notFound(partnerId);
        }
        String channelName = channel;
        if (channelName == null) {
            List<InboundChannel> matching = partner.inbound().stream()
                    .filter(c -> flow != null
                            && c.flow().name().toLowerCase().replace('_', '-').equals(flow))
                    .toList();
            if (matching.size() != 1) {
                return error(
                        HttpStatus.BAD_REQUEST,
                        "name the channel (?channel=...): partner '" + partnerId + "' has " + matching.size()
                                + " channel(s) with flow '" + flow + "'");
            }
            channelName = matching.get(0).name();
        }
        PartnerInboundHandler.DryRun result;
        try {
            result = handler.dryRun(
                    partnerId,
                    channelName,
                    body == null ? new byte[0] : body,
                    contentType == null ? Map.of() : Map.of("contentType", contentType));
        } catch (PartnerUnavailableException e) {
            return error(HttpStatus.NOT_FOUND, e.getMessage());
        }
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        result.resources().forEach(r -> bundle.addEntry().setResource(r));
        ObjectNode answer = json.createObjectNode();
        answer.put("partner", partnerId);
        answer.put("channel", channelName);
        answer.put("accepted", result.accepted());
        answer.put("stored", false);
        answer.set("resources", fhir(bundle));
        answer.set("outcome", fhir(result.outcome()));
        return ResponseEntity.ok(answer);
    }

    private ObjectNode partner(String partnerId) {
        PartnerRegistry.Running running = registry.partners().get(partnerId);
        ObjectNode node = json.createObjectNode();
        node.put("id", partnerId);
        if (running == null) {
            node.put("state", "removed");
            return node;
        }
        PartnerDefinition definition = running.definition();
        ObjectNode names = node.putObject("names");
        definition.names().forEach(names::put);
        node.put("country", definition.country());
        node.put("state", running.stopped() ? "stopped" : "running");
        ArrayNode routeArray = node.putArray("routes");
        for (PartnerRouteManager.RouteState route : routes.routes(partnerId)) {
            ObjectNode r = routeArray.addObject();
            r.put("id", route.routeId());
            r.put("channel", route.channel());
            r.put("kind", route.kind());
            r.put("state", route.state());
            r.put("endpoint", route.endpoint());
            if (route.breaker() != null) {
                r.put("breaker", route.breaker());
            }
            if ("fhir-poll".equals(route.kind())) {
                checkpoints.state(partnerId, route.channel()).ifPresent(state -> pollState(r.putObject("poll"), state));
            }
        }
        ObjectNode counts = node.putObject("counters");
        counters.of(partnerId).forEach(counts::put);
        return node;
    }

    /** Where a fhir-poll channel resumes ({@code nextSince}, the checkpoint) and what its last poll did. */
    private static void pollState(ObjectNode poll, FhirPollCheckpoints.State state) {
        poll.put(
                "nextSince",
                state.nextSince() == null ? null : state.nextSince().toString());
        poll.put(
                "advancedAt",
                state.advancedAt() == null ? null : state.advancedAt().toString());
        poll.put("lastPollAt", state.polledAt().toString());
        poll.put("lastResult", state.lastResult());
    }

    private JsonNode fhir(org.hl7.fhir.instance.model.api.IBaseResource resource) throws IOException {
        return json.readTree(fhirContext.newJsonParser().encodeResourceToString(resource));
    }

    private static void problems(ArrayNode array, List<ConfigProblem> problems) {
        for (ConfigProblem problem : problems) {
            ObjectNode p = array.addObject();
            p.put("file", problem.file());
            p.put("field", problem.field());
            p.put("reason", problem.reason());
            p.put("message", problem.toString());
        }
    }

    private ResponseEntity<ObjectNode> notFound(String partnerId) {
        return error(HttpStatus.NOT_FOUND, "no partner '" + partnerId + "'");
    }

    private ResponseEntity<ObjectNode> error(HttpStatus status, String message) {
        ObjectNode error = json.createObjectNode();
        error.put("error", message);
        return ResponseEntity.status(status).body(error);
    }
}
