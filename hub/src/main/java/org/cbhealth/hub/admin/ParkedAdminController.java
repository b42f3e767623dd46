package org.cbhealth.hub.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cbhealth.hub.parking.ParkedMessage;
import org.cbhealth.hub.parking.ParkedMessageStore;
import org.cbhealth.hub.parking.ParkedReplay;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The parked-message store for integrators: list and inspect what was parked (raw input, reason, who must act,
 * OperationOutcome, business key), replay one entry or all parked entries of a partner, purge an entry with a
 * reason; every replay and purge is written to the admin audit, listed at {@code /api/admin/audit}.
 */
@RestController
@RequestMapping(path = "/api/admin", produces = MediaType.APPLICATION_JSON_VALUE)
public class ParkedAdminController {

    private static final int MAX_LIMIT = 500;

    private final ParkedMessageStore store;
    private final ParkedReplay replay;
    private final AdminAudit audit;
    private final ObjectMapper json = new ObjectMapper();

    public ParkedAdminController(ParkedMessageStore store, ParkedReplay replay, AdminAudit audit) {
        this.store = store;
        this.replay = replay;
        this.audit = audit;
    }

    /** Newest first, without bodies. */
    @GetMapping("/parked")
    public List<Map<String, Object>> list(
            @RequestParam(required = false) String partner,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String failedBy,
            @RequestParam(required = false) String direction,
            @RequestParam(defaultValue = "50") int limit) {
        return store
                .list(new ParkedMessageStore.Query(
                        partner, state, failedBy, direction, Math.max(1, Math.min(limit, MAX_LIMIT))))
                .stream()
                .map(ParkedAdminController::summary)
                .toList();
    }

    /** Everything of one entry: the raw input as text when it is UTF-8 ({@code raw}), else {@code rawBase64}. */
    @GetMapping("/parked/{id}")
    public ResponseEntity<Map<String, Object>> get(@PathVariable String id) {
        ParkedMessage entry = store.get(id).orElse(null);
        if (entry == null) {
            return error(HttpStatus.NOT_FOUND, "no parked message " + id);
        }
        Map<String, Object> answer = summary(entry);
        answer.put("headers", entry.headers());
        if (entry.raw() != null) {
            String text = utf8(entry.raw());
            if (text != null) {
                answer.put("raw", text);
            } else {
                answer.put("rawBase64", Base64.getEncoder().encodeToString(entry.raw()));
            }
        }
        if (entry.outcomeJson() != null) {
            try {
                answer.put("outcome", json.readTree(entry.outcomeJson()));
            } catch (java.io.IOException e) {
                answer.put("outcomeText", entry.outcomeJson());
            }
        }
        return ResponseEntity.ok(answer);
    }

    @PostMapping("/parked/{id}/replay")
    public ResponseEntity<Map<String, Object>> replay(
            @PathVariable String id, @RequestParam(defaultValue = "false") boolean force, Principal principal) {
        ParkedReplay.Result result = replay.replay(id, force, principal.getName());
        return ResponseEntity.status(status(result.status())).body(result.answer());
    }

    /** Replays every {@code parked} entry of the partner, oldest first; answers with the counts and each result. */
    @PostMapping("/partners/{partner}/parked/replay")
    public Map<String, Object> replayAll(@PathVariable String partner, Principal principal) {
        int replayed = 0;
        int refused = 0;
        int skipped = 0;
        int failed = 0;
        List<Map<String, Object>> results = new java.util.ArrayList<>();
        for (String id : store.parkedIdsOf(partner)) {
            ParkedReplay.Result result = replay.replay(id, false, principal.getName());
            switch (result.status()) {
                case REPLAYED -> replayed++;
                case REFUSED -> refused++;
                case FAILED -> failed++;
                default -> skipped++;
            }
            results.add(result.answer());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("partner", partner);
        answer.put("replayed", replayed);
        answer.put("refusedAgain", refused);
        answer.put("failed", failed);
        answer.put("skipped", skipped);
        answer.put("results", results);
        return answer;
    }

    /** Removes the raw input and outcome of a parked entry; the reason is required and audited. */
    @PostMapping("/parked/{id}/purge")
    public ResponseEntity<Map<String, Object>> purge(
            @PathVariable String id, @RequestBody(required = false) Map<String, Object> body, Principal principal) {
        Object reason = body == null ? null : body.get("reason");
        if (!(reason instanceof String text) || text.isBlank()) {
            return error(HttpStatus.BAD_REQUEST, "a purge needs a reason: body {\"reason\": \"...\"}");
        }
        ParkedMessage entry = store.get(id).orElse(null);
        if (entry == null) {
            return error(HttpStatus.NOT_FOUND, "no parked message " + id);
        }
        if (!store.purge(id, principal.getName(), text)) {
            String state = store.get(id).map(ParkedMessage::state).orElse(entry.state());
            return error(HttpStatus.CONFLICT, "parked message " + id + " is " + state + ", not parked");
        }
        audit.record(principal.getName(), "parked.purge", id, entry.partnerId(), text);
        return get(id);
    }

    @GetMapping("/audit")
    public List<Map<String, Object>> audit(
            @RequestParam(required = false) String partner, @RequestParam(defaultValue = "50") int limit) {
        return audit.list(partner, Math.max(1, Math.min(limit, MAX_LIMIT)));
    }

    private static Map<String, Object> summary(ParkedMessage entry) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("parkId", entry.parkId());
        row.put("partner", entry.partnerId());
        row.put("channel", entry.channel());
        row.put("direction", entry.direction());
        row.put("failedBy", entry.failedBy());
        row.put("reason", entry.reason());
        row.put("businessKey", entry.businessKey());
        row.put("contentType", entry.contentType());
        row.put("originalAddress", entry.originalAddress());
        row.put("parkedAt", entry.parkedAt().toString());
        row.put("state", entry.state());
        row.put("replayCount", entry.replayCount());
        row.put(
                "lastReplayAt",
                entry.lastReplayAt() == null ? null : entry.lastReplayAt().toString());
        row.put("lastReplayResult", entry.lastReplayResult());
        row.put("purgedAt", entry.purgedAt() == null ? null : entry.purgedAt().toString());
        row.put("purgedBy", entry.purgedBy());
        row.put("purgeReason", entry.purgeReason());
        return row;
    }

    private static HttpStatus status(ParkedReplay.Status status) {
        return switch (status) {
            case REPLAYED -> HttpStatus.OK;
            case REFUSED -> HttpStatus.UNPROCESSABLE_ENTITY;
            case FAILED -> HttpStatus.SERVICE_UNAVAILABLE;
            case CONFLICT -> HttpStatus.CONFLICT;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
        };
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", message);
        return ResponseEntity.status(status).body(error);
    }
}
