package org.cbhealth.hub.partner;

import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cbhealth.hub.audit.HubAudit;
import org.cbhealth.hub.conformance.BackgroundValidator;
import org.cbhealth.hub.directory.DirectoryImporter;
import org.cbhealth.hub.idempotency.InboundMessages;
import org.cbhealth.hub.partner.PartnerCounters.Stage;
import org.cbhealth.hub.partner.PartnerDefinition.InboundChannel;
import org.cbhealth.hub.referral.ReferralRecords;
import org.cbhealth.hub.referral.ReferralStatusService;
import org.cbhealth.hub.routing.InboundRoutesConfig;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.directory.DirectoryScope;
import org.cbhealth.routes.fhir.FhirResourceStore;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.hl7.Hl7AckWriter;
import org.cbhealth.routes.hl7.Hl7v2RejectedException;
import org.cbhealth.routes.partner.InboundHandler;
import org.cbhealth.routes.partner.InboundMessage;
import org.cbhealth.routes.partner.InboundOutcome;
import org.cbhealth.routes.partner.MessageKeys;
import org.cbhealth.routes.partner.PartnerUnavailableException;
import org.cbhealth.routes.referral.StatusUpdate;
import org.cbhealth.routes.translate.MessageTranslator;
import org.cbhealth.routes.translate.Translation;
import org.cbhealth.routes.translate.TranslationContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * What every partner route hands its messages to: finds the partner and channel in the running configuration,
 * translates with the translator of the channel's format and flow, and stores each resource (validated against
 * the profiles by the store's interceptor). A resource the store refuses is reported with the others kept; a
 * message of which nothing can be stored is refused as a whole. {@link #dryRun} does the same without storing.
 *
 * <p>A referral or status message with an id of its own (MSH-10, applicationNumber) that the hub accepted before
 * is not processed again: it gets the original answer from {@link InboundMessages} (for HL7 v2 the original ACK).
 */
@Component
public class PartnerInboundHandler implements InboundHandler {

    /** The result of a dry-run: the resources the message would produce and the outcome of their checks. */
    public record DryRun(List<Resource> resources, OperationOutcome outcome, boolean accepted) {}

    private final PartnerRegistry registry;
    private final PartnerTranslators translators;
    private final PartnerOrganizations organizations;
    private final FhirResourceStore store;
    private final PartnerCounters counters;
    private final BackgroundValidator validator;
    private final Map<String, String> localSpecialtySystems;
    private final org.springframework.beans.factory.ObjectProvider<ReferralStatusService> statusService;
    private final DirectoryImporter importer;
    private final InboundMessages accepted;
    private final Hl7AckWriter ackWriter;
    private final HubAudit audit;
    private final SenderBinding senderBinding;
    private final ReferralRecords referrals;

    public PartnerInboundHandler(
            PartnerRegistry registry,
            PartnerTranslators translators,
            PartnerOrganizations organizations,
            FhirResourceStore store,
            PartnerCounters counters,
            BackgroundValidator validator,
            ConceptMapSources conceptMapSources,
            org.springframework.beans.factory.ObjectProvider<ReferralStatusService> statusService,
            DirectoryImporter importer,
            InboundMessages accepted,
            SenderBinding senderBinding,
            HubAudit audit,
            ReferralRecords referrals) {
        this.audit = audit;
        this.accepted = accepted;
        this.senderBinding = senderBinding;
        this.referrals = referrals;
        // the same acknowledgements as the MLLP template writes: the ACK kept for a message's copies
        this.ackWriter = new Hl7AckWriter(InboundRoutesConfig.HL7_APPLICATION, InboundRoutesConfig.HL7_FACILITY);
        this.statusService = statusService;
        this.importer = importer;
        this.registry = registry;
        this.translators = translators;
        this.organizations = organizations;
        this.store = store;
        this.counters = counters;
        this.validator = validator;
        this.localSpecialtySystems = conceptMapSources.sourceSystems();
    }

    @Override
    public InboundOutcome handle(InboundMessage message) {
        PartnerDefinition partner = registry.running(message.partnerId())
                .orElseThrow(
                        () -> new PartnerUnavailableException("partner '" + message.partnerId() + "' is not running"));
        InboundChannel channel = channel(partner, message.channel());
        counters.count(partner.id(), Stage.RECEIVED);
        String declared = message.attribute(InboundMessage.DECLARED_CONTENT_TYPE);
        if (declared != null) {
            try {
                ChannelContentTypes.check(channel, declared);
            } catch (InvalidMessageException e) {
                counters.count(partner.id(), Stage.FAILED);
                throw e;
            }
        }
        try {
            // before the copies are looked up: a message in another's name gets no answer kept for it
            senderBinding.check(partner, channel, message);
        } catch (InvalidMessageException e) {
            counters.count(partner.id(), Stage.FAILED);
            throw e;
        }
        Optional<String> key = messageKey(channel, message.body());
        if (key.isPresent()) {
            Optional<InboundMessages.Answer> original = accepted.answered(partner.id(), key.get(), message.body());
            if (original.isPresent()) {
                audited(partner, channel, key.get(), original.get().storedIds(), COPY);
                return new InboundOutcome(original.get().storedIds(), List.of(), List.of())
                        .withAnswer(original.get().answer());
            }
        }
        InboundOutcome outcome = channel.flow() == PartnerDefinition.Flow.REFERRAL_STATUS
                ? applyStatus(partner, channel, message)
                : process(partner, channel, message);
        audited(
                partner,
                channel,
                key.orElse(message.attribute("fileName")),
                outcome.storedIds(),
                outcome.rejected().isEmpty() ? null : outcome.rejected().size() + " part(s) refused");
        if (key.isEmpty()) {
            return outcome;
        }
        String answer = channel.format() == PartnerDefinition.MessageFormat.HL7V2
                ? ackWriter.accept(new String(message.body(), StandardCharsets.UTF_8))
                : null;
        InboundMessages.Answer kept = accepted.record(
                partner.id(),
                key.get(),
                channel.name(),
                message.body(),
                new InboundMessages.Answer(answer, outcome.storedIds()));
        return outcome.withAnswer(kept.answer());
    }

    /** The detail of the audit record of a copy answered as its original. */
    static final String COPY = "copy of an accepted message";

    /** The most stored references one audit record names (a directory export may write thousands). */
    static final int AUDITED_REFERENCES = 100;

    /** The exchange step {@code received}: the stored resources' references and the message's business key. */
    private void audited(
            PartnerDefinition partner, InboundChannel channel, String businessKey, List<String> stored, String detail) {
        List<String> named = stored.size() > AUDITED_REFERENCES ? stored.subList(0, AUDITED_REFERENCES) : stored;
        if (named.size() < stored.size()) {
            String more = stored.size() + " resources stored, the first " + named.size() + " named";
            detail = detail == null ? more : detail + "; " + more;
        }
        audit.exchange(new HubAudit.Exchange(
                HubAudit.Step.RECEIVED,
                partner.id(),
                channel.name(),
                businessKey,
                named,
                HubAudit.Outcome.SUCCESS,
                detail));
    }

    /**
     * The sender's own id of a referral or status message, by which its copies are recognised: MSH-10 of HL7 v2 on
     * any transport, applicationNumber of a JSON application. Directory data has none (it is upserted by record).
     */
    private static Optional<String> messageKey(InboundChannel channel, byte[] body) {
        if (channel.flow() == PartnerDefinition.Flow.DIRECTORY) {
            return Optional.empty();
        }
        return switch (channel.format()) {
            case HL7V2 -> MessageKeys.hl7v2(body);
            case JSON -> channel.flow() == PartnerDefinition.Flow.REFERRAL
                    ? MessageKeys.applicationNumber(body)
                    : Optional.empty();
            default -> Optional.empty();
        };
    }

    private InboundOutcome process(PartnerDefinition partner, InboundChannel channel, InboundMessage message) {
        Translation translation;
        try {
            translation = translate(partner, channel, message.body(), message.attributes());
        } catch (RuntimeException e) {
            counters.count(partner.id(), Stage.FAILED);
            throw e;
        }
        counters.count(partner.id(), Stage.TRANSLATED);
        if (channel.flow() == PartnerDefinition.Flow.DIRECTORY) {
            return importDirectory(partner, channel, message, translation);
        }
        List<String> stored = new ArrayList<>();
        List<InputProblem> rejected = new ArrayList<>(translation.rejected());
        for (Resource resource : translation.resources()) {
            try {
                if (resource instanceof Bundle transaction && transaction.getType() == Bundle.BundleType.TRANSACTION) {
                    // all or nothing: a referral is stored whole or refused whole
                    transaction
                            .getEntry()
                            .forEach(e -> e.getResource().getMeta().setSource(source(partner, channel)));
                    stored.addAll(storeReferral(partner, channel, message, transaction));
                } else {
                    resource.getMeta().setSource(source(partner, channel));
                    stored.add(store.store(resource));
                }
            } catch (InvalidMessageException refused) {
                rejected.add(new InputProblem(locationOf(resource), refused.getMessage()));
            }
        }
        if (stored.isEmpty() && !rejected.isEmpty()) {
            counters.count(partner.id(), Stage.FAILED);
            throw new InvalidMessageException("nothing of the message could be stored", rejected);
        }
        counters.count(partner.id(), Stage.STORED, stored.size());
        return new InboundOutcome(stored, rejected, translation.unmappedCodes());
    }

    /**
     * A referral: labelled for its referrer and destination and stored with its Provenance (agent: the sending
     * partner's Organization; entity: the message by its business key), all in one transaction.
     */
    private List<String> storeReferral(
            PartnerDefinition partner, InboundChannel channel, InboundMessage message, Bundle transaction) {
        String source = source(partner, channel);
        return referrals.store(
                transaction,
                referrals.parties(transaction, partner.id()),
                new ReferralRecords.Author(partner.id(), organizations.referenceOf(partner)),
                messageKey(channel, message.body())
                        .map(key -> new ReferralRecords.SourceMessage(source, key))
                        .orElse(null),
                source,
                ReferralRecords.Activity.CREATE);
    }

    /**
     * Directory data: upserted by the importer. A full export (a file, unless the message says otherwise)
     * deactivates what it no longer lists. Refused as a whole only when nothing of it could be imported.
     */
    private InboundOutcome importDirectory(
            PartnerDefinition partner, InboundChannel channel, InboundMessage message, Translation translation) {
        DirectoryScope scope = DirectoryScope.of(message.attribute(DirectoryScope.ATTRIBUTE))
                .orElse(
                        channel.kind() == PartnerDefinition.ChannelKind.FILE
                                ? DirectoryScope.FULL
                                : DirectoryScope.PARTIAL);
        if (translation.resources().isEmpty()
                && translation.withdrawn().isEmpty()
                && !translation.rejected().isEmpty()) {
            counters.count(partner.id(), Stage.FAILED);
            throw new InvalidMessageException("nothing of the message could be imported", translation.rejected());
        }
        DirectoryImporter.Result result;
        try {
            result = importer.importBatch(
                    new DirectoryImporter.Batch(
                            partner.id(),
                            channel.name(),
                            organizations.referenceOf(partner),
                            source(partner, channel),
                            scope,
                            message.body(),
                            message.attributes()),
                    translation);
        } catch (RuntimeException e) {
            counters.count(partner.id(), Stage.FAILED);
            throw e;
        }
        int kept = result.counts().created()
                + result.counts().updated()
                + result.counts().unchanged()
                + result.counts().deactivated();
        if (kept == 0 && !result.rejected().isEmpty()) {
            counters.count(partner.id(), Stage.FAILED);
            throw new InvalidMessageException(
                    "nothing of the message could be imported (" + result.summary() + ")", result.rejected());
        }
        counters.count(partner.id(), Stage.STORED, result.writtenIds().size());
        return new InboundOutcome(result.writtenIds(), result.rejected(), result.unmappedCodes(), result.summary());
    }

    /** A referral status update: read in the channel's format, applied to the referral's Task. */
    private InboundOutcome applyStatus(PartnerDefinition partner, InboundChannel channel, InboundMessage message) {
        List<String> stored;
        try {
            StatusUpdate update = translators.statusUpdate(partner, channel, message.body());
            counters.count(partner.id(), Stage.TRANSLATED);
            stored = statusService.getObject().apply(partner.id(), update);
        } catch (RuntimeException e) {
            counters.count(partner.id(), Stage.FAILED);
            throw e;
        }
        counters.count(partner.id(), Stage.STORED, stored.size());
        return new InboundOutcome(stored, List.of(), List.of());
    }

    /**
     * Translates and validates a sample message as the channel would, storing and sending nothing.
     *
     * @throws PartnerUnavailableException for an unknown partner or channel
     */
    public DryRun dryRun(String partnerId, String channelName, byte[] body, Map<String, String> attributes) {
        PartnerDefinition partner = registry.definition(partnerId)
                .orElseThrow(() -> new PartnerUnavailableException("no partner '" + partnerId + "'"));
        InboundChannel channel = channel(partner, channelName);
        OperationOutcome outcome = new OperationOutcome();
        List<Resource> resources = new ArrayList<>();
        try {
            if (channel.format() == PartnerDefinition.MessageFormat.HL7V2) {
                // the sending facility (MSH-4) as the channel would check it; a sample in another's name is refused
                senderBinding.checkSendingFacility(partner, channel, new String(body, StandardCharsets.UTF_8));
            }
            if (channel.flow() == PartnerDefinition.Flow.REFERRAL_STATUS) {
                StatusUpdate update = translators.statusUpdate(partner, channel, body);
                issue(
                        outcome,
                        OperationOutcome.IssueSeverity.INFORMATION,
                        "message",
                        "status update of referral "
                                + (update.referral() != null
                                        ? update.referral()
                                        : update.placerSystem() + "|" + update.placerValue())
                                + " to '" + update.status() + "'; nothing was stored or sent");
                return new DryRun(resources, outcome, true);
            }
            Translation translation = translate(partner, channel, body, attributes);
            for (InputProblem problem : translation.rejected()) {
                issue(outcome, OperationOutcome.IssueSeverity.ERROR, problem.location(), problem.reason());
            }
            for (String unmapped : translation.unmappedCodes()) {
                issue(
                        outcome,
                        OperationOutcome.IssueSeverity.WARNING,
                        unmapped,
                        "code not mapped to the shared value set");
            }
            CbhValidation validation = new CbhValidation(validator);
            for (Resource resource : translation.resources()) {
                resources.add(resource);
                if (resource instanceof Bundle transaction && transaction.getType() == Bundle.BundleType.TRANSACTION) {
                    for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
                        entry.getResource().getMeta().setSource(source(partner, channel));
                        validation.check(entry.getResource(), locationOf(entry.getResource()), outcome);
                    }
                } else {
                    resource.getMeta().setSource(source(partner, channel));
                    validation.check(resource, locationOf(resource), outcome);
                }
            }
        } catch (Hl7v2RejectedException e) {
            // as the AR's ERR segments would name them: MSH-4 of another partner, a missing segment, ...
            e.errors()
                    .forEach(error ->
                            issue(outcome, OperationOutcome.IssueSeverity.ERROR, error.location(), error.text()));
        } catch (InvalidMessageException e) {
            if (e.problems().isEmpty()) {
                issue(outcome, OperationOutcome.IssueSeverity.ERROR, "message", e.getMessage());
            }
            e.problems().forEach(p -> issue(outcome, OperationOutcome.IssueSeverity.ERROR, p.location(), p.reason()));
        } catch (org.cbhealth.routes.partner.NoTranslatorException e) {
            issue(outcome, OperationOutcome.IssueSeverity.ERROR, "message", e.getMessage())
                    .setCode(OperationOutcome.IssueType.NOTSUPPORTED);
        }
        boolean accepted =
                outcome.getIssue().stream().noneMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR);
        if (!outcome.hasIssue()) {
            issue(
                    outcome,
                    OperationOutcome.IssueSeverity.INFORMATION,
                    "message",
                    resources.size() + " resource(s) would be stored; nothing was stored or sent");
        }
        return new DryRun(resources, outcome, accepted);
    }

    private Translation translate(
            PartnerDefinition partner, InboundChannel channel, byte[] body, Map<String, String> attributes) {
        MessageTranslator translator = translators.forChannel(partner, channel, body);
        String localSystem = channel.settings().get("specialtySystem") instanceof String s
                ? s
                : partner.codeMappings().stream()
                        .map(localSpecialtySystems::get)
                        .filter(java.util.Objects::nonNull)
                        .findFirst()
                        .orElse(null);
        TranslationContext context = new TranslationContext(
                partner.id(),
                channel.name(),
                organizations.referenceOf(partner),
                localSystem,
                partner.names().keySet().iterator().next(),
                channel.settings(),
                attributes);
        return translator.translate(body, context);
    }

    private static InboundChannel channel(PartnerDefinition partner, String name) {
        return partner.inbound().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new PartnerUnavailableException(
                        "partner '" + partner.id() + "' has no inbound channel '" + name + "'"));
    }

    /** {@code meta.source} of everything a partner's channel produced. */
    static String source(PartnerDefinition partner, InboundChannel channel) {
        return CbhCanonical.BASE + "/partner/" + partner.id() + "/" + channel.name();
    }

    private static String locationOf(Resource resource) {
        if (resource.getNamedProperty("identifier") != null) {
            for (var value : resource.getNamedProperty("identifier").getValues()) {
                if (value instanceof Identifier id && id.hasValue()) {
                    return resource.fhirType() + "[identifier=" + id.getValue() + "]";
                }
            }
        }
        return resource.fhirType();
    }

    private static OperationOutcome.OperationOutcomeIssueComponent issue(
            OperationOutcome outcome, OperationOutcome.IssueSeverity severity, String location, String text) {
        OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                .setSeverity(severity)
                .setCode(
                        severity == OperationOutcome.IssueSeverity.INFORMATION
                                ? OperationOutcome.IssueType.INFORMATIONAL
                                : OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics(text);
        issue.addExpression(location);
        return issue;
    }

    /** The profile check of one resource, its errors and warnings added to an outcome under the resource's name. */
    private record CbhValidation(BackgroundValidator validator) {
        void check(Resource resource, String location, OperationOutcome outcome) {
            ValidationResult result = validator.get().validate(resource);
            for (SingleValidationMessage message : result.getMessages()) {
                OperationOutcome.IssueSeverity severity =
                        switch (message.getSeverity()) {
                            case ERROR, FATAL -> OperationOutcome.IssueSeverity.ERROR;
                            case WARNING -> OperationOutcome.IssueSeverity.WARNING;
                            default -> null;
                        };
                if (severity != null) {
                    issue(
                            outcome,
                            severity,
                            location + (message.getLocationString() == null ? "" : " " + message.getLocationString()),
                            message.getMessage());
                }
            }
        }
    }
}
