package org.cbhealth.hub.parking;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cbhealth.hub.admin.AdminAudit;
import org.cbhealth.hub.partner.PartnerDefinition;
import org.cbhealth.hub.partner.PartnerInboundHandler;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.partner.InboundMessage;
import org.cbhealth.routes.partner.InboundOutcome;
import org.cbhealth.routes.partner.NoTranslatorException;
import org.cbhealth.routes.partner.PartnerHeaders;
import org.cbhealth.routes.partner.PartnerRouteTemplates;
import org.cbhealth.routes.partner.PartnerUnavailableException;
import org.cbhealth.routes.partner.RefusalOutcomeTranslator;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Replays a parked message, exactly once: the entry is claimed ({@code parked} → {@code replaying}, a conditional
 * update only one caller can win), replayed, then marked {@code replayed}, or {@code parked} again with the new
 * reason when it is refused again. An inbound message goes through its partner's channel as configured now (the
 * {@link PartnerInboundHandler}); an outbound one goes back on the partner's delivery queue with its properties and
 * a new broker duplicate id. Referral storage is idempotent (conditional creates, {@code cbh_referral_key}), so a
 * replay interrupted by a crash and forced again stores nothing twice.
 */
@Component
public class ParkedReplay {

    /** How a replay ended. */
    public enum Status {
        REPLAYED,
        REFUSED,
        FAILED,
        CONFLICT,
        NOT_FOUND
    }

    /** The end of a replay and the answer for the admin. */
    public record Result(Status status, Map<String, Object> answer) {}

    private final ParkedMessageStore store;
    private final PartnerInboundHandler handler;
    private final PartnerRegistry registry;
    private final JmsTemplate jms;
    private final AdminAudit audit;
    private final RefusalOutcomeTranslator outcomes;

    public ParkedReplay(
            ParkedMessageStore store,
            PartnerInboundHandler handler,
            PartnerRegistry registry,
            JmsTemplate jms,
            AdminAudit audit,
            ca.uhn.fhir.context.FhirContext fhirContext) {
        this.store = store;
        this.handler = handler;
        this.registry = registry;
        this.jms = jms;
        this.audit = audit;
        this.outcomes = new RefusalOutcomeTranslator(fhirContext);
    }

    public Result replay(String parkId, boolean force, String actor) {
        ParkedMessage entry = store.get(parkId).orElse(null);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("parkId", parkId);
        if (entry == null) {
            answer.put("error", "no parked message " + parkId);
            return new Result(Status.NOT_FOUND, answer);
        }
        answer.put("partner", entry.partnerId());
        if (!store.claim(parkId, force)) {
            String state = store.get(parkId).map(ParkedMessage::state).orElse(entry.state());
            answer.put("state", state);
            answer.put(
                    "error",
                    "parked message " + parkId + " is " + state + ", not parked"
                            + (ParkedMessage.REPLAYING.equals(state)
                                    ? "; if a crash interrupted its replay, replay it with force=true"
                                    : ""));
            return new Result(Status.CONFLICT, answer);
        }
        Result result = "outbound".equals(entry.direction()) ? outbound(entry, answer) : inbound(entry, answer);
        audit.record(
                actor,
                "parked.replay",
                parkId,
                entry.partnerId(),
                result.status().name().toLowerCase() + (force ? " (forced)" : "") + ": "
                        + result.answer()
                                .getOrDefault("summary", result.answer().get("error")));
        return result;
    }

    private Result inbound(ParkedMessage entry, Map<String, Object> answer) {
        if (entry.partnerId() == null || entry.channel() == null) {
            return refused(
                    entry,
                    answer,
                    "hub",
                    "the message names no partner channel to replay it through; purge it or send it again",
                    null);
        }
        try {
            InboundOutcome outcome = handler.handle(new InboundMessage(
                    entry.partnerId(),
                    entry.channel(),
                    entry.raw() == null ? new byte[0] : entry.raw(),
                    attributes(entry)));
            answer.put("state", ParkedMessage.REPLAYED);
            answer.put("summary", outcome.summary());
            answer.put("storedIds", outcome.storedIds());
            store.replayed(entry.parkId(), outcome.summary());
            return new Result(Status.REPLAYED, answer);
        } catch (InvalidMessageException e) {
            answer.put(
                    "problems",
                    e.problems().stream()
                            .map(p -> Map.of("location", p.location(), "reason", p.reason()))
                            .toList());
            return refused(
                    entry, answer, "sender", e.getMessage(), outcomes.toJson(e).orElse(null));
        } catch (NoTranslatorException | PartnerUnavailableException e) {
            return refused(entry, answer, "hub", e.getMessage(), null);
        } catch (RuntimeException e) {
            store.refusedAgain(entry.parkId(), entry.failedBy(), entry.reason(), entry.outcomeJson());
            answer.put("state", ParkedMessage.PARKED);
            answer.put(
                    "error",
                    "the hub could not replay the message now (" + e.getClass().getSimpleName()
                            + "); it stays parked, replay it again later");
            return new Result(Status.FAILED, answer);
        }
    }

    private Result outbound(ParkedMessage entry, Map<String, Object> answer) {
        PartnerDefinition partner = entry.partnerId() == null
                ? null
                : registry.definition(entry.partnerId()).orElse(null);
        if (partner == null) {
            return refused(
                    entry,
                    answer,
                    "hub",
                    "partner '" + entry.partnerId() + "' is not configured; replay once it is",
                    null);
        }
        String queue = PartnerRouteTemplates.deliveryQueue(partner.id());
        String original = entry.headers().get(ParkedMessageIntake.DUPLICATE_ID);
        String duplicateId = (original == null ? "" : original + ":") + "replay:" + entry.parkId();
        jms.send(queue, session -> {
            jakarta.jms.Message message;
            if (entry.rawIsText()) {
                message = session.createTextMessage(
                        new String(entry.raw() == null ? new byte[0] : entry.raw(), StandardCharsets.UTF_8));
            } else {
                jakarta.jms.BytesMessage bytes = session.createBytesMessage();
                bytes.writeBytes(entry.raw() == null ? new byte[0] : entry.raw());
                message = bytes;
            }
            for (var header : entry.headers().entrySet()) {
                message.setStringProperty(header.getKey(), header.getValue());
            }
            message.setStringProperty(PartnerHeaders.PARTNER, partner.id());
            message.setStringProperty(ParkedMessageIntake.DUPLICATE_ID, duplicateId);
            message.setStringProperty(PartnerHeaders.REPLAY_OF, entry.parkId());
            return message;
        });
        String summary = "put back on " + queue + " for delivery";
        answer.put("state", ParkedMessage.REPLAYED);
        answer.put("summary", summary);
        store.replayed(entry.parkId(), summary);
        return new Result(Status.REPLAYED, answer);
    }

    private Result refused(
            ParkedMessage entry, Map<String, Object> answer, String failedBy, String reason, String outcomeJson) {
        store.refusedAgain(entry.parkId(), failedBy, reason, outcomeJson);
        answer.put("state", ParkedMessage.PARKED);
        answer.put("failedBy", failedBy);
        answer.put("error", reason);
        return new Result(Status.REFUSED, answer);
    }

    /** What the channel's transport knew of the message: file name, content type, directory scope, replay of. */
    private Map<String, String> attributes(ParkedMessage entry) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("replayOf", entry.parkId());
        if (entry.contentType() != null) {
            attributes.put("contentType", entry.contentType());
        }
        String scope = entry.headers().get(PartnerHeaders.DIRECTORY_SCOPE);
        if (scope != null) {
            attributes.put(org.cbhealth.routes.directory.DirectoryScope.ATTRIBUTE, scope);
        }
        boolean file = registry.definition(entry.partnerId()).stream()
                .flatMap(p -> p.inbound().stream())
                .anyMatch(c -> c.name().equals(entry.channel()) && c.kind() == PartnerDefinition.ChannelKind.FILE);
        if (file && entry.businessKey() != null) {
            attributes.put("fileName", entry.businessKey());
        }
        return attributes;
    }
}
