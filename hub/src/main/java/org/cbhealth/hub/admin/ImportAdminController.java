package org.cbhealth.hub.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cbhealth.hub.directory.ImportReports;
import org.cbhealth.hub.partner.PartnerInboundHandler;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.partner.InboundMessage;
import org.cbhealth.routes.partner.InboundOutcome;
import org.cbhealth.routes.partner.PartnerUnavailableException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Directory import reports for integrators: the latest batches with their counts and progress, one batch with
 * each refused part (location and reason) and each unmapped code, and the replay of a batch from its kept raw
 * input (after a ConceptMap or the partner's column map was fixed, say). Counts and codes only, no patient data.
 */
@RestController
@RequestMapping(path = "/api/admin/imports", produces = MediaType.APPLICATION_JSON_VALUE)
public class ImportAdminController {

    private static final int MAX_LIMIT = 500;

    private final ImportReports reports;
    private final PartnerInboundHandler handler;

    public ImportAdminController(ImportReports reports, PartnerInboundHandler handler) {
        this.reports = reports;
        this.handler = handler;
    }

    @GetMapping
    public List<Map<String, Object>> list(
            @RequestParam(required = false) String partner, @RequestParam(defaultValue = "50") int limit) {
        return reports.list(partner, Math.max(1, Math.min(limit, MAX_LIMIT)));
    }

    @GetMapping("/{id}")
    public ResponseEntity<Map<String, Object>> get(@PathVariable long id) {
        return reports.get(id).map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                .body(Map.of("error", "no import batch " + id)));
    }

    /**
     * Imports the batch's raw input again, through its partner's channel as it is configured now. A batch of which
     * the channel has since imported a newer one is refused unless {@code force=true}: replaying it would bring
     * back older data (an older export, an older page of a partner's history).
     */
    @PostMapping("/{id}/replay")
    public ResponseEntity<Map<String, Object>> replay(
            @PathVariable long id, @RequestParam(defaultValue = "false") boolean force) {
        ImportReports.Raw raw = reports.raw(id).orElse(null);
        if (raw == null || raw.body() == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(Map.of("error", "no import batch " + id + " with kept input"));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("replayOf", id);
        Long newer = reports.newerOf(id).orElse(null);
        if (newer != null && !force) {
            answer.put(
                    "error",
                    "batch " + newer + " of the same channel is newer; replaying " + id
                            + " would bring back older data. Replay " + newer + ", or add force=true");
            return ResponseEntity.status(HttpStatus.CONFLICT).body(answer);
        }
        try {
            InboundOutcome outcome =
                    handler.handle(new InboundMessage(raw.partnerId(), raw.channel(), raw.body(), raw.attributes()));
            answer.put("summary", outcome.summary());
            answer.put("rejected", outcome.rejected().size());
            return ResponseEntity.ok(answer);
        } catch (InvalidMessageException e) {
            answer.put("error", e.getMessage());
            answer.put(
                    "problems",
                    e.problems().stream()
                            .map(p -> Map.of("location", p.location(), "reason", p.reason()))
                            .toList());
            return ResponseEntity.unprocessableEntity().body(answer);
        } catch (PartnerUnavailableException e) {
            answer.put("error", e.getMessage());
            return ResponseEntity.status(HttpStatus.CONFLICT).body(answer);
        }
    }
}
