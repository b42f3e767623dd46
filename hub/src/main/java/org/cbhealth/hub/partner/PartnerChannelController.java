package org.cbhealth.hub.partner;

import ca.uhn.fhir.context.FhirContext;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.cbhealth.hub.partner.PartnerDefinition.ChannelKind;
import org.cbhealth.routes.directory.DirectoryScope;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.partner.InboundOutcome;
import org.cbhealth.routes.partner.NoTranslatorException;
import org.cbhealth.routes.partner.PartnerHeaders;
import org.cbhealth.routes.partner.PartnerRouteTemplates;
import org.cbhealth.routes.partner.PartnerUnavailableException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Partners' REST channels: {@code POST /api/partners/{partner}/{channel}} hands the body to the channel's route
 * and answers with an OperationOutcome — 200 with what was stored (and refused parts as warnings), 422 naming
 * each problem, 202 when the message is kept but the hub cannot translate it yet, 404 for an unknown partner or
 * channel, 503 while the partner is stopped. A directory message says with {@code ?scope=full} that it is a complete
 * export (what it no longer lists is deactivated); without it, or with {@code ?scope=partial}, it brings changes
 * only.
 */
@RestController
public class PartnerChannelController {

    private static final String FHIR_JSON = "application/fhir+json";

    private final PartnerRegistry registry;
    private final ProducerTemplate producer;
    private final FhirContext fhirContext;

    public PartnerChannelController(PartnerRegistry registry, ProducerTemplate producer, FhirContext fhirContext) {
        this.registry = registry;
        this.producer = producer;
        this.fhirContext = fhirContext;
    }

    @PostMapping("/api/partners/{partnerId}/{channel}")
    public ResponseEntity<String> receive(
            @PathVariable String partnerId,
            @PathVariable String channel,
            @RequestParam(value = "scope", required = false) String scope,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestBody(required = false) byte[] body) {
        PartnerDefinition partner = registry.definition(partnerId).orElse(null);
        if (partner == null
                || partner.inbound().stream()
                        .noneMatch(c -> c.name().equals(channel) && c.kind() == ChannelKind.REST)) {
            return answer(
                    HttpStatus.NOT_FOUND,
                    outcome(
                            IssueSeverity.ERROR,
                            IssueType.NOTFOUND,
                            "request",
                            "no REST channel '" + channel + "' of partner '" + partnerId + "'"));
        }
        DirectoryScope directoryScope = scope == null
                ? DirectoryScope.PARTIAL
                : DirectoryScope.of(scope).orElse(null);
        if (directoryScope == null) {
            return answer(
                    HttpStatus.BAD_REQUEST,
                    outcome(
                            IssueSeverity.ERROR,
                            IssueType.VALUE,
                            "scope",
                            "unknown scope '" + scope + "'; full (a complete export: what it no longer lists is"
                                    + " deactivated) or partial (changes only, the default)"));
        }
        Map<String, Object> headers = new HashMap<>();
        headers.put(PartnerHeaders.DIRECTORY_SCOPE, directoryScope.value());
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        try {
            InboundOutcome result = producer.requestBodyAndHeaders(
                    PartnerRouteTemplates.restEndpoint(partnerId, channel),
                    body == null ? new byte[0] : body,
                    headers,
                    InboundOutcome.class);
            OperationOutcome outcome = outcome(
                    IssueSeverity.INFORMATION,
                    IssueType.INFORMATIONAL,
                    "request",
                    result.summary()
                            + (result.storedIds().isEmpty() ? "" : ": " + String.join(", ", result.storedIds())));
            for (InputProblem problem : result.rejected()) {
                add(outcome, IssueSeverity.WARNING, IssueType.PROCESSING, problem.location(), problem.reason());
            }
            for (String code : result.unmappedCodes()) {
                add(outcome, IssueSeverity.WARNING, IssueType.CODEINVALID, code, "not mapped to the shared value set");
            }
            return answer(HttpStatus.OK, outcome);
        } catch (CamelExecutionException e) {
            return failure(e.getCause() == null ? e : e.getCause());
        }
    }

    private ResponseEntity<String> failure(Throwable cause) {
        if (cause instanceof InvalidMessageException invalid) {
            OperationOutcome outcome = new OperationOutcome();
            if (invalid.problems().isEmpty()) {
                add(outcome, IssueSeverity.ERROR, IssueType.INVALID, "request", invalid.getMessage());
            }
            invalid.problems()
                    .forEach(p -> add(outcome, IssueSeverity.ERROR, IssueType.INVALID, p.location(), p.reason()));
            return answer(HttpStatus.UNPROCESSABLE_ENTITY, outcome);
        }
        if (cause instanceof NoTranslatorException) {
            return answer(
                    HttpStatus.ACCEPTED,
                    outcome(IssueSeverity.WARNING, IssueType.NOTSUPPORTED, "request", cause.getMessage()));
        }
        if (cause instanceof PartnerUnavailableException || cause instanceof DirectConsumerNotAvailableException) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, "60")
                    .header(HttpHeaders.CONTENT_TYPE, FHIR_JSON)
                    .body(encode(outcome(
                            IssueSeverity.ERROR,
                            IssueType.TRANSIENT,
                            "request",
                            "the partner's channel is stopped; send again later")));
        }
        return answer(
                HttpStatus.INTERNAL_SERVER_ERROR,
                outcome(
                        IssueSeverity.ERROR,
                        IssueType.EXCEPTION,
                        "request",
                        "the hub could not process the message now; send it again"));
    }

    private ResponseEntity<String> answer(HttpStatus status, OperationOutcome outcome) {
        return ResponseEntity.status(status)
                .header(HttpHeaders.CONTENT_TYPE, FHIR_JSON)
                .body(encode(outcome));
    }

    private String encode(OperationOutcome outcome) {
        return fhirContext.newJsonParser().encodeResourceToString(outcome);
    }

    static OperationOutcome outcome(IssueSeverity severity, IssueType type, String location, String text) {
        OperationOutcome outcome = new OperationOutcome();
        add(outcome, severity, type, location, text);
        return outcome;
    }

    private static void add(
            OperationOutcome outcome, IssueSeverity severity, IssueType type, String location, String text) {
        outcome.addIssue()
                .setSeverity(severity)
                .setCode(type)
                .setDiagnostics(text)
                .addExpression(location);
    }
}
