package org.cbhealth.profiles.validation;

import ca.uhn.fhir.context.ConfigurationException;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.util.XmlUtil;
import ca.uhn.fhir.validation.IValidationContext;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.r5.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.IValidationPolicyAdvisor;
import org.hl7.fhir.r5.utils.validation.IValidatorResourceFetcher;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * HAPI's {@link FhirInstanceValidator} with the same results, minus its largest fixed cost: HAPI's
 * (package-private) {@code ValidatorWrapper} builds a new {@link InstanceValidator} for every validation, and
 * the constructor of {@code InstanceValidator} (org.hl7.fhir.validation 6.7.9) parses the 1.5 MB
 * {@code oidregistry.csv} ({@code new OIDUtilities()}) and builds a FHIRPath engine, profile utilities and
 * a codings observer. For a small resource that is most of a warm validation (about four fifths of the
 * samples in a JMH stack profile of one Organization, see {@code bench/README.md}). This class keeps built
 * {@code InstanceValidator}s in a small pool and lends each to one thread at a time.
 *
 * <p><b>Why reuse gives the same results.</b> Read from the bytecode of {@code InstanceValidator} and
 * {@code BaseValidator} 6.7.9, the state that outlives one validation is:
 *
 * <ul>
 *   <li>reset by {@code InstanceValidator.validate(Object, List, String, Element, List)} itself at the start
 *       of each validation: {@code fetchCache}, {@code resourceTracker}, {@code trackedMessages},
 *       {@code messagesToRemove}, {@code executionId}, {@code baseOnly}; {@code validatedContent} is
 *       replaced by each parse;
 *   <li>reset here before each use: {@code statusWarnings} (protected; remembers which "depends on a
 *       deprecated/withdrawn/retired definition" hints were given, so a reused validator would give each only
 *       once) and {@code textsToCheck} (public getter; only read when an AI text service is set, which we do
 *       not do);
 *   <li>caches keyed on the (fixed) worker context, whose entries do not depend on the resource validated:
 *       {@code crLookups} (stores an error, re-reported on every hit), the FHIRPath engine's type tables,
 *       {@code ProfileUtilities}, the cross-version extension manager, {@code ValidatorSession} (only used
 *       when validating ViewDefinitions);
 *   <li>growing without effect on results, so bounded by retiring each validator after
 *       {@link #DEFAULT_MAX_USES} validations: {@code CodingsObserver.list} (every coding seen; only read
 *       when IPS SNOMED checks are on, which they are not), {@code textsToCheckKeys} (AI service only),
 *       {@code xhtmlElementMap} (keyed on element identity), the time tracker and FHIRPath trace log.
 * </ul>
 *
 * <p>Configuration ({@code InstanceValidator}'s setters) is applied once, when a validator is built, from this
 * object's settings in the same way as {@code ValidatorWrapper} does; a pooled validator built under other
 * settings, or before {@link #invalidateCaches()}, is dropped instead of reused. A validator whose
 * validation threw is dropped too. {@code PooledFhirInstanceValidatorTest} checks that the results equal those
 * of the stock {@link FhirInstanceValidator}, message for message and in order, for a varied set of good and
 * bad resources validated repeatedly, in varying order and on several threads; {@code
 * InstanceValidatorStateGuardTest} fails when an upgrade of HAPI or of the HL7 core changes the fields
 * audited above, so that the list is read again.
 */
public class PooledFhirInstanceValidator extends FhirInstanceValidator {

    /** Validations one {@code InstanceValidator} serves before it is retired (bounds what it accumulates). */
    public static final int DEFAULT_MAX_USES = 500;

    private final int maxUses;
    private final BlockingQueue<PooledValidator> idle;
    private final AtomicLong built = new AtomicLong();
    private final AtomicLong generation = new AtomicLong();

    /**
     * A pool that keeps at most two idle validators per available processor, and no more than eight: each holds
     * its own parsed OID registry (21,000 entries), a few MB of heap. More threads validating at once still
     * work; the validators beyond the pool's size are built for one validation and dropped.
     */
    public PooledFhirInstanceValidator(IValidationSupport validationSupport) {
        this(validationSupport, Math.min(8, 2 * Runtime.getRuntime().availableProcessors()), DEFAULT_MAX_USES);
    }

    public PooledFhirInstanceValidator(IValidationSupport validationSupport, int maxIdle, int maxUses) {
        super(validationSupport);
        if (maxIdle < 1 || maxUses < 1) {
            throw new IllegalArgumentException("maxIdle and maxUses must be positive");
        }
        this.maxUses = maxUses;
        this.idle = new ArrayBlockingQueue<>(maxIdle);
    }

    /** How many {@code InstanceValidator}s this object has built so far. */
    public long builtValidators() {
        return built.get();
    }

    @Override
    public void invalidateCaches() {
        generation.incrementAndGet();
        idle.clear();
        super.invalidateCaches();
    }

    @Override
    protected List<ValidationMessage> validate(IValidationContext<?> validationContext) {
        IWorkerContext workerContext = provideWorkerContext();
        Settings settings = currentSettings(workerContext);
        PooledValidator validator = borrow(settings);
        List<ValidationMessage> messages = validate(validator.instanceValidator, workerContext, validationContext);
        validator.uses++;
        if (validator.uses < maxUses && validator.generation == generation.get()) {
            idle.offer(validator);
        }
        return messages;
    }

    private PooledValidator borrow(Settings settings) {
        PooledValidator pooled;
        while ((pooled = idle.poll()) != null) {
            if (pooled.settings.equals(settings) && pooled.generation == generation.get()) {
                pooled.instanceValidator.prepareForReuse();
                return pooled;
            }
        }
        built.incrementAndGet();
        return new PooledValidator(build(settings), settings, generation.get());
    }

    /** What {@code ValidatorWrapper.validate} does after building its validator, on a pooled one. */
    private List<ValidationMessage> validate(
            ReusableInstanceValidator validator,
            IWorkerContext workerContext,
            IValidationContext<?> validationContext) {
        List<ValidationMessage> messages = new ArrayList<>();
        List<StructureDefinition> profiles = new ArrayList<>();
        List<ValidationMessage> invalidProfileMessages = new ArrayList<>();
        for (String profileUrl : validationContext.getOptions().getProfiles()) {
            fetchAndAddProfile(workerContext, profiles, profileUrl, invalidProfileMessages);
        }
        String input = validationContext.getResourceAsString();
        EncodingEnum encoding = validationContext.getResourceAsStringEncoding();
        ByteArrayInputStream inputStream = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        if (encoding == EncodingEnum.XML) {
            Document document;
            try {
                document = XmlUtil.parseDocument(input);
            } catch (Exception notXml) {
                ValidationMessage message = new ValidationMessage();
                message.setLevel(ValidationMessage.IssueSeverity.FATAL);
                message.setMessage("Failed to parse input, it does not appear to be valid XML:" + notXml.getMessage());
                messages.add(message);
                return messages;
            }
            for (String profileUrl : declaredProfiles(document)) {
                fetchAndAddProfile(workerContext, profiles, profileUrl, invalidProfileMessages);
            }
            validator.validate(null, messages, inputStream, FhirFormat.XML, profiles);
        } else if (encoding == EncodingEnum.JSON) {
            JsonObject json = new Gson().fromJson(input, JsonObject.class);
            JsonObject meta = json.getAsJsonObject("meta");
            if (meta != null && meta.get("profile") instanceof JsonArray declared) {
                for (JsonElement profileUrl : declared) {
                    fetchAndAddProfile(workerContext, profiles, profileUrl.getAsString(), invalidProfileMessages);
                }
            }
            validator.validate(
                    validationContext.getOptions().getAppContext(), messages, inputStream, FhirFormat.JSON, profiles);
        } else {
            throw new IllegalArgumentException("Unknown encoding: " + encoding);
        }
        if (profiles.isEmpty() && !invalidProfileMessages.isEmpty()) {
            messages.addAll(invalidProfileMessages);
        }
        messages = new ArrayList<>(messages.stream()
                .filter(PooledFhirInstanceValidator::keptByHapi)
                .toList());
        if (isErrorForUnknownProfiles()) {
            messages.stream()
                    .filter(m -> I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(m.getMessageId())
                            || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(m.getMessageId()))
                    .filter(m -> m.getLevel() == ValidationMessage.IssueSeverity.WARNING)
                    .forEach(m -> m.setLevel(ValidationMessage.IssueSeverity.ERROR));
        }
        return messages;
    }

    /** The messages HAPI's {@code ValidatorWrapper} drops: no binding source, and the mime-types value set. */
    private static boolean keptByHapi(ValidationMessage message) {
        String id = message.getMessageId();
        return id == null
                || !(id.equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
                        || (id.equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND)
                                && message.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes")));
    }

    private static void fetchAndAddProfile(
            IWorkerContext workerContext,
            List<StructureDefinition> profiles,
            String url,
            List<ValidationMessage> invalidProfileMessages) {
        try {
            StructureDefinition profile = workerContext.fetchResource(StructureDefinition.class, url);
            if (profile != null) {
                profiles.add(profile);
            } else {
                ValidationMessage message = new ValidationMessage();
                message.setMessageId(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN);
                message.setLevel(ValidationMessage.IssueSeverity.ERROR);
                message.setMessage("Invalid profile. Failed to retrieve profile with url=" + url);
                invalidProfileMessages.add(message);
            }
        } catch (FHIRException unreadable) {
            // as in HAPI: a profile that cannot be loaded is left out without a message
        }
    }

    private static List<String> declaredProfiles(Document document) {
        List<String> urls = new ArrayList<>();
        NodeList children = document.getChildNodes().item(0).getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i).getNodeName().equalsIgnoreCase("meta")) {
                NodeList metaChildren = children.item(i).getChildNodes();
                for (int j = 0; j < metaChildren.getLength(); j++) {
                    Node child = metaChildren.item(j);
                    if (child.getNodeName().equalsIgnoreCase("profile")) {
                        urls.add(child.getAttributes().item(0).getNodeValue());
                    }
                }
                break;
            }
        }
        return urls;
    }

    private Settings currentSettings(IWorkerContext workerContext) {
        return new Settings(
                workerContext,
                isAnyExtensionsAllowed(),
                getBestPracticeWarningLevel(),
                isErrorForUnknownProfiles(),
                isNoTerminologyChecks(),
                isNoExtensibleWarnings(),
                isNoBindingMsgSuppressed(),
                List.copyOf(getExtensionDomains()),
                getValidatorResourceFetcher(),
                getValidatorPolicyAdvisor(),
                isAssumeValidRestReferences(),
                isAllowExamples(),
                getHostApplicationServices());
    }

    /** What {@code ValidatorWrapper.buildInstanceValidator} and its setters do, once per pooled validator. */
    private static ReusableInstanceValidator build(Settings settings) {
        ReusableInstanceValidator validator;
        try {
            validator = new ReusableInstanceValidator(
                    settings.workerContext(),
                    Objects.requireNonNullElseGet(
                            settings.hostServices(), FhirInstanceValidator.NullEvaluationContext::new),
                    new XVerExtensionManagerOld(settings.workerContext()),
                    new ValidatorSession(),
                    new ValidatorSettings());
        } catch (Exception e) {
            throw new ConfigurationException("Cannot build the instance validator: " + e.getMessage(), e);
        }
        validator.setAssumeValidRestReferences(settings.assumeValidRestReferences());
        validator.setBestPracticeWarningLevel(settings.bestPracticeWarningLevel());
        validator.setAnyExtensionsAllowed(settings.anyExtensionsAllowed());
        validator.setResourceIdRule(IdStatus.OPTIONAL);
        validator.setNoTerminologyChecks(settings.noTerminologyChecks());
        validator.setErrorForUnknownProfiles(settings.errorForUnknownProfiles());
        validator.setUnknownCodeSystemsCauseErrors(true);
        validator.getExtensionDomains().addAll(settings.extensionDomains());
        validator.setFetcher(settings.fetcher());
        validator.setPolicyAdvisor(settings.policyAdvisor());
        validator.setNoExtensibleWarnings(settings.noExtensibleWarnings());
        validator.setNoBindingMsgSuppressed(settings.noBindingMsgSuppressed());
        validator.setAllowExamples(settings.allowExamples());
        validator.setAllowXsiLocation(true);
        return validator;
    }

    /** The settings a pooled validator was built with; compared by identity for the collaborators. */
    private record Settings(
            IWorkerContext workerContext,
            boolean anyExtensionsAllowed,
            BestPracticeWarningLevel bestPracticeWarningLevel,
            boolean errorForUnknownProfiles,
            boolean noTerminologyChecks,
            boolean noExtensibleWarnings,
            boolean noBindingMsgSuppressed,
            List<String> extensionDomains,
            IValidatorResourceFetcher fetcher,
            IValidationPolicyAdvisor policyAdvisor,
            boolean assumeValidRestReferences,
            boolean allowExamples,
            IHostApplicationServices hostServices) {}

    /** A validator lent to one thread at a time; the pool's queue hands it over with a happens-before edge. */
    private static final class PooledValidator {
        private final ReusableInstanceValidator instanceValidator;
        private final Settings settings;
        private final long generation;
        private int uses;

        private PooledValidator(ReusableInstanceValidator instanceValidator, Settings settings, long generation) {
            this.instanceValidator = instanceValidator;
            this.settings = settings;
            this.generation = generation;
        }
    }

    /** An {@code InstanceValidator} that forgets, before each reuse, what it would otherwise report only once. */
    static final class ReusableInstanceValidator extends InstanceValidator {

        ReusableInstanceValidator(
                IWorkerContext context,
                IHostApplicationServices hostServices,
                XVerExtensionManagerOld xverManager,
                ValidatorSession session,
                ValidatorSettings settings) {
            super(context, hostServices, xverManager, session, settings);
        }

        void prepareForReuse() {
            statusWarnings.clear();
            getTextsToCheck().clear();
        }
    }
}
