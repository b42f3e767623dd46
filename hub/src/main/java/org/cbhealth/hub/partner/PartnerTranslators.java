package org.cbhealth.hub.partner;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hl7v2.model.v251.message.REF_I12;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cbhealth.hub.partner.PartnerDefinition.Flow;
import org.cbhealth.hub.partner.PartnerDefinition.InboundChannel;
import org.cbhealth.hub.partner.PartnerDefinition.MessageFormat;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.profiles.identifier.NationalIdentifiers;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.routes.directory.DepartmentTranslator;
import org.cbhealth.routes.directory.DirectoryModelTranslator;
import org.cbhealth.routes.directory.SpecialtyMapper;
import org.cbhealth.routes.directory.json.DirectoryJsonReader;
import org.cbhealth.routes.directory.soap.SoapDirectoryReader;
import org.cbhealth.routes.fhir.FhirResourceReader;
import org.cbhealth.routes.hl7.Hl7v2Reader;
import org.cbhealth.routes.partner.NoTranslatorException;
import org.cbhealth.routes.referral.NationalIdentifierCheck;
import org.cbhealth.routes.referral.RefI12Checker;
import org.cbhealth.routes.referral.RefI12Translator;
import org.cbhealth.routes.referral.ReferralStatusJsonReader;
import org.cbhealth.routes.referral.RriI12StatusReader;
import org.cbhealth.routes.referral.StatusUpdate;
import org.cbhealth.routes.referral.TaskStatusReader;
import org.cbhealth.routes.referral.TreatmentAbroadApplication;
import org.cbhealth.routes.referral.TreatmentAbroadReader;
import org.cbhealth.routes.referral.TreatmentAbroadTranslator;
import org.cbhealth.routes.referral.soap.SoapReferralReader;
import org.cbhealth.routes.referral.soap.SoapStatusReader;
import org.cbhealth.routes.translate.CsvDirectoryTranslator;
import org.cbhealth.routes.translate.FhirDirectoryTranslator;
import org.cbhealth.routes.translate.FhirMessageTranslator;
import org.cbhealth.routes.translate.JsonDirectoryTranslator;
import org.cbhealth.routes.translate.MessageTranslator;
import org.cbhealth.routes.translate.SoapDirectoryTranslator;
import org.cbhealth.routes.translate.Translation;
import org.springframework.stereotype.Component;

/**
 * The translator for a channel's format and flow, with the checks that come before it. FHIR (directory data as mCSD
 * resources keyed on the partner's ids, any other flow as sent), CSV directory exports, directories pushed as JSON
 * or polled from a SOAP directory service (XML), and HL7 v2 REF^I12 referrals (one transaction Bundle, the
 * destination resolved among the partners) are translated, and so is the treatment-abroad application in JSON or as
 * SOAP {@code SubmitReferral}. Status updates are read from FHIR Tasks, JSON, RRI^I12 and SOAP
 * {@code UpdateReferralStatus}. Any other format and flow is reported by {@link NoTranslatorException}, with the hub
 * as the one to act.
 */
@Component
public class PartnerTranslators {

    private final FhirMessageTranslator fhir;
    private final FhirDirectoryTranslator fhirDirectory;
    private final CsvDirectoryTranslator csvDirectory;
    private final JsonDirectoryTranslator jsonDirectory;
    private final SoapDirectoryTranslator soapDirectory;
    private final Hl7v2Reader refI12Reader = new Hl7v2Reader(Set.of("REF^I12"));
    private final RefI12Checker refI12Checker;
    private final TreatmentAbroadReader treatmentAbroadReader;
    private final SoapReferralReader soapReferralReader;
    private final SoapStatusReader soapStatusReader = new SoapStatusReader();
    private final CbhConformanceResources conformance;
    private final PartnerRegistry registry;
    private final PartnerOrganizations organizations;
    private final SpecialtyMapper specialties;
    private final TaskStatusReader taskStatusReader;
    private final ReferralStatusJsonReader jsonStatusReader = new ReferralStatusJsonReader();
    private final RriI12StatusReader rriReader = new RriI12StatusReader();

    public PartnerTranslators(
            FhirContext fhirContext,
            CbhConformanceResources conformance,
            PartnerRegistry registry,
            PartnerOrganizations organizations) {
        this.conformance = conformance;
        this.registry = registry;
        this.organizations = organizations;
        this.specialties = new SpecialtyMapper(conformance.all());
        this.fhir = new FhirMessageTranslator(new FhirResourceReader(fhirContext));
        this.fhirDirectory = new FhirDirectoryTranslator(fhirContext, new FhirResourceReader(fhirContext), specialties);
        this.taskStatusReader = new TaskStatusReader(new FhirResourceReader(fhirContext));
        this.csvDirectory = new CsvDirectoryTranslator(new DepartmentTranslator(specialties));
        this.jsonDirectory =
                new JsonDirectoryTranslator(new DirectoryJsonReader(), new DirectoryModelTranslator(specialties));
        this.soapDirectory =
                new SoapDirectoryTranslator(new SoapDirectoryReader(), new DirectoryModelTranslator(specialties));
        NationalIdentifierCheck identifiers = (system, value) ->
                Optional.ofNullable(NationalIdentifiers.check(system, value).problem());
        this.refI12Checker = new RefI12Checker(
                conformance::identifierSystemForOid, identifiers, () -> LocalDate.now(ZoneOffset.UTC));
        this.treatmentAbroadReader =
                new TreatmentAbroadReader(identifiers, CbhCanonical.SID_UA_RNOKPP, () -> LocalDate.now(ZoneOffset.UTC));
        this.soapReferralReader = new SoapReferralReader(treatmentAbroadReader);
    }

    /**
     * Runs the checks of the channel's format on the raw message, then returns its translator.
     *
     * @throws org.cbhealth.routes.fhir.InvalidMessageException when a check refuses the message
     * @throws NoTranslatorException when the hub has no translator for the format and flow
     */
    public MessageTranslator forChannel(PartnerDefinition partner, InboundChannel channel, byte[] body) {
        MessageFormat format = channel.format();
        Flow flow = channel.flow();
        if (format == MessageFormat.FHIR && flow == Flow.DIRECTORY) {
            return fhirDirectory;
        }
        if (format == MessageFormat.FHIR) {
            return fhir;
        }
        if (format == MessageFormat.CSV && flow == Flow.DIRECTORY) {
            return csvDirectory;
        }
        if (format == MessageFormat.JSON && flow == Flow.DIRECTORY) {
            return jsonDirectory;
        }
        if (format == MessageFormat.XML && flow == Flow.DIRECTORY) {
            return soapDirectory;
        }
        if (format == MessageFormat.HL7V2 && flow == Flow.REFERRAL) {
            REF_I12 referral = (REF_I12) refI12Reader.read(new String(body, StandardCharsets.UTF_8));
            refI12Checker.check(referral);
            RefI12Translator translator =
                    new RefI12Translator(conformance::identifierSystemForOid, specialties, destinations(partner));
            return (bytes, context) ->
                    new Translation(List.of(translator.translate(referral, context)), List.of(), List.of());
        }
        if (format == MessageFormat.JSON && flow == Flow.REFERRAL) {
            return new TreatmentAbroadTranslator(treatmentAbroadReader, specialties, destinations(partner));
        }
        if (format == MessageFormat.XML && flow == Flow.REFERRAL) {
            // SubmitReferral of referral-service.wsdl (SOAP channels hand over the operation element): the same
            // application as the JSON one, checked the same way, translated by the same translator
            TreatmentAbroadApplication application = soapReferralReader.read(body);
            TreatmentAbroadTranslator translator =
                    new TreatmentAbroadTranslator(treatmentAbroadReader, specialties, destinations(partner));
            return (bytes, context) -> translator.translate(application, context);
        }
        throw new NoTranslatorException("this hub version has no translator from " + format.yaml + " to FHIR for the "
                + flow.yaml + " flow; the message is kept and can be replayed once one exists");
    }

    /**
     * Reads a referral status update in the channel's format.
     *
     * @throws org.cbhealth.routes.fhir.InvalidMessageException when the update is malformed
     * @throws NoTranslatorException when the hub reads no status updates in the channel's format
     */
    public StatusUpdate statusUpdate(PartnerDefinition partner, InboundChannel channel, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return switch (channel.format()) {
            case FHIR -> taskStatusReader.read(text);
            case JSON -> jsonStatusReader.read(text);
            case HL7V2 -> rriReader.read(text, partner.id());
            case XML -> soapStatusReader.read(body);
            default -> throw new NoTranslatorException("this hub version reads no referral status updates in "
                    + channel.format().yaml + "; the message is kept and can be replayed once it does");
        };
    }

    /**
     * The referral's destination among the running partners, by any of their registry identifiers; a partner the
     * sender may not exchange referrals with (either file's {@code referralPartners}) is refused with the reason.
     */
    private RefI12Translator.Directory destinations(PartnerDefinition sender) {
        return (value, type, name) -> {
            for (PartnerRegistry.Running running : registry.partners().values()) {
                PartnerDefinition candidate = running.definition();
                if (candidate.identifiers().stream().anyMatch(id -> id.value().equals(value))) {
                    if (!sender.referralPartners().contains(candidate.id())
                            || !candidate.referralPartners().contains(sender.id())) {
                        throw new IllegalArgumentException("partner '" + candidate.id()
                                + "' (" + value + ") and '" + sender.id()
                                + "' may not exchange referrals: each must list the other in referralPartners");
                    }
                    return Optional.of(organizations.referenceOf(candidate));
                }
            }
            return Optional.empty();
        };
    }
}
