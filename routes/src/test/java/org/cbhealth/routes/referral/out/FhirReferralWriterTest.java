package org.cbhealth.routes.referral.out;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.Map;
import org.cbhealth.profiles.validation.CbhResourceValidator;
import org.cbhealth.routes.referral.ReferralPackage;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

class FhirReferralWriterTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final FhirReferralWriter writer = new FhirReferralWriter(FHIR);

    @Test
    void shouldWriteTheReferralAsOneConditionalCreatePerResource() {
        OutboundMessage message = writer.referral(ReferralFixtures.created());
        Bundle bundle = parse(message);

        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(bundle.getEntry())
                .extracting(e -> e.getRequest().getMethod() + " "
                        + e.getRequest().getUrl() + " ? " + e.getRequest().getIfNoneExist())
                .containsExactly(
                        "POST Patient ? identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Fbg-egn%7C7501024918",
                        "POST Practitioner ? identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Fpartner"
                                + "%2Fbg-mbal-blagoevgrad%2Fpractitioner%7C0100001234",
                        "POST PractitionerRole ? identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Fpartner"
                                + "%2Fbg-mbal-blagoevgrad%2Fpractitioner-role%7C0100001234",
                        "POST Condition ? identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Fpartner"
                                + "%2Fbg-mbal-blagoevgrad%2Fcondition%7CBG-REF-000123%2FDG1%2F1",
                        "POST Observation ? identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Fpartner"
                                + "%2Fbg-mbal-blagoevgrad%2Fobservation%7CBG-REF-000123%2FOBX%2F1",
                        "POST ServiceRequest ? identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Freferral%7C4711",
                        "POST Task ? identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Freferral%7C4711");
        assertThat(bundle.getEntry()).allSatisfy(e -> assertThat(e.getFullUrl()).matches("urn:uuid:[0-9a-f-]{36}"));
        assertThat(message.body()).as("no hub ids, versions or meta").doesNotContain("\"id\":", "\"meta\":");
        assertThat(message.body()).doesNotContain("Patient/201", "ServiceRequest/206", "Organization/kb-stip");
        assertThat(bundle.getEntry())
                .extracting(Bundle.BundleEntryComponent::getFullUrl)
                .doesNotHaveDuplicates();
    }

    @Test
    void shouldPointReferencesBetweenEntriesToTheirUrnUuids() {
        Bundle bundle = parse(writer.referral(ReferralFixtures.created()));
        String patient = fullUrl(bundle, Patient.class);
        Task task = resource(bundle, Task.class);
        ServiceRequest request = resource(bundle, ServiceRequest.class);

        assertThat(task.getFocus().getReference()).isEqualTo(fullUrl(bundle, ServiceRequest.class));
        assertThat(task.getFor().getReference()).isEqualTo(patient);
        assertThat(request.getSubject().getReference()).isEqualTo(patient);
        assertThat(request.getRequester().getReference()).isEqualTo(fullUrl(bundle, PractitionerRole.class));
        assertThat(request.getReasonReferenceFirstRep().getReference()).isEqualTo(fullUrl(bundle, Condition.class));
        assertThat(request.getSupportingInfoFirstRep().getReference()).isEqualTo(fullUrl(bundle, Observation.class));
        assertThat(resource(bundle, PractitionerRole.class).getPractitioner().getReference())
                .isEqualTo(fullUrl(bundle, Practitioner.class));
        assertThat(resource(bundle, Condition.class).getSubject().getReference())
                .isEqualTo(patient);
        assertThat(resource(bundle, Observation.class).getSubject().getReference())
                .isEqualTo(patient);
    }

    @Test
    void shouldReferToBothOrganizationsByIdentifierAndName() {
        Bundle bundle = parse(writer.referral(ReferralFixtures.created()));
        Task task = resource(bundle, Task.class);

        assertThat(logical(task.getOwner()))
                .isEqualTo(
                        "Organization https://fhir.cbhealth.eu/sid/registry/mk-embs|4068491 ЈЗУ Клиничка болница Штип");
        assertThat(logical(task.getRequester()))
                .isEqualTo("Organization https://fhir.cbhealth.eu/sid/registry/bg-eik|101004535 МБАЛ „Благоевград“ АД");
        assertThat(logical(resource(bundle, ServiceRequest.class).getPerformerFirstRep()))
                .isEqualTo(
                        "Organization https://fhir.cbhealth.eu/sid/registry/mk-embs|4068491 ЈЗУ Клиничка болница Штип");
        assertThat(logical(resource(bundle, PractitionerRole.class).getOrganization()))
                .isEqualTo("Organization https://fhir.cbhealth.eu/sid/registry/bg-eik|101004535 МБАЛ „Благоевград“ АД");
    }

    @Test
    void shouldGiveTheTaskAndServiceRequestTheHubReferralNumber() {
        Bundle bundle = parse(writer.referral(ReferralFixtures.created()));

        assertThat(resource(bundle, Task.class).getIdentifier())
                .extracting(i -> i.getSystem() + "|" + i.getValue())
                .containsExactly(
                        "https://fhir.cbhealth.eu/sid/partner/bg-mbal-blagoevgrad/referral-task|BG-REF-000123",
                        "https://fhir.cbhealth.eu/sid/referral|4711");
        assertThat(resource(bundle, ServiceRequest.class).getIdentifier())
                .extracting(i -> i.getSystem() + "|" + i.getValue())
                .containsExactly(
                        "https://fhir.cbhealth.eu/sid/partner/bg-mbal-blagoevgrad/referral|BG-REF-000123",
                        "https://fhir.cbhealth.eu/sid/referral|4711");
        Task task = resource(bundle, Task.class);
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(task.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("created");
        assertThat(task.getAuthoredOnElement().getValueAsString()).isEqualTo("2026-11-20T09:30:00+02:00");
    }

    @Test
    void shouldLabelTheReferralForTheOutboundChannel() {
        OutboundMessage message = writer.referral(ReferralFixtures.created());

        assertThat(message.contentType()).isEqualTo("application/fhir+json; charset=UTF-8");
        assertThat(message.headers())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("CBHealthMessageType", "referral", "CBHealthReferral", "4711"));
        assertThat(message.body()).startsWith("{\"resourceType\":\"Bundle\"");
    }

    @Test
    void shouldWriteTheSameReferralTheSameWay() {
        assertThat(writer.referral(ReferralFixtures.created()).body())
                .isEqualTo(writer.referral(ReferralFixtures.created()).body());
    }

    @Test
    void shouldNotChangeTheStoredResources() {
        ReferralPackage referral = ReferralFixtures.created();
        writer.referral(referral);

        assertThat(referral.task().getIdElement().getValue()).isEqualTo("Task/4711/_history/1");
        assertThat(referral.task().getFocus().getReference()).isEqualTo("ServiceRequest/206");
        assertThat(referral.task().getIdentifier()).hasSize(1);
    }

    @Test
    void shouldWriteAScheduledStatusAsAConditionalUpdateOfTheTask() {
        OutboundMessage message = writer.status(ReferralFixtures.scheduled());
        Bundle bundle = parse(message);

        assertThat(bundle.getEntry()).hasSize(1);
        Bundle.BundleEntryComponent entry = bundle.getEntryFirstRep();
        assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
        assertThat(entry.getRequest().getUrl())
                .isEqualTo("Task?identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Freferral%7C4711");
        Task task = (Task) entry.getResource();
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);
        assertThat(task.getBusinessStatus().getCodingFirstRep().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/CodeSystem/cbh-task-business-status");
        assertThat(task.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("scheduled");
        assertThat(task.getRestriction().getPeriod().getStartElement().getValueAsString())
                .isEqualTo("2026-12-03T09:00:00+01:00");
        assertThat(task.getNoteFirstRep().getText()).isEqualTo("Елате на гладно.");
        assertThat(logical(task.getFocus()))
                .isEqualTo("ServiceRequest https://fhir.cbhealth.eu/sid/referral|4711 null");
        assertThat(logical(task.getFor())).isEqualTo("Patient https://fhir.cbhealth.eu/sid/bg-egn|7501024918 null");
        assertThat(logical(task.getOwner()))
                .isEqualTo(
                        "Organization https://fhir.cbhealth.eu/sid/registry/mk-embs|4068491 ЈЗУ Клиничка болница Штип");
        assertThat(message.headers())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "CBHealthMessageType", "referral-status",
                        "CBHealthReferral", "4711",
                        "CBHealthStatus", "scheduled"));
        assertThat(message.contentType()).isEqualTo("application/fhir+json; charset=UTF-8");
    }

    @Test
    void shouldCarryTheReasonOfADeclinedReferral() {
        Bundle bundle = parse(writer.status(ReferralFixtures.declined()));
        Task task = (Task) bundle.getEntryFirstRep().getResource();

        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REJECTED);
        assertThat(task.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("declined");
        assertThat(task.getStatusReason().getText()).isEqualTo("Нема слободни термини до март 2027.");
    }

    @Test
    void shouldCreateTheOutcomeDocumentOfACompletedReferralAndPointTheTaskOutputToIt() {
        OutboundMessage message = writer.status(ReferralFixtures.completed());
        Bundle bundle = parse(message);

        assertThat(bundle.getEntry())
                .extracting(e -> e.getRequest().getMethod() + " "
                        + e.getRequest().getUrl() + " ? " + e.getRequest().getIfNoneExist())
                .containsExactly(
                        "POST DocumentReference ? identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Fpartner"
                                + "%2Fmk-kb-stip%2Foutcome%7CMK-OUT-555",
                        "PUT Task?identifier=https%3A%2F%2Ffhir.cbhealth.eu%2Fsid%2Freferral%7C4711 ? null");
        DocumentReference outcome = resource(bundle, DocumentReference.class);
        assertThat(outcome.getContentFirstRep().getAttachment().getUrl())
                .isEqualTo("https://docs.kb-stip.example/out/555.pdf");
        assertThat(logical(outcome.getSubject()))
                .isEqualTo("Patient https://fhir.cbhealth.eu/sid/bg-egn|7501024918 null");
        Task task = resource(bundle, Task.class);
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(task.getOutput()).hasSize(1);
        assertThat(task.getOutputFirstRep().getType().getText()).isEqualTo("Discharge letter");
        assertThat(((Reference) task.getOutputFirstRep().getValue()).getReference())
                .isEqualTo(fullUrl(bundle, DocumentReference.class));
        assertThat(message.headers()).containsEntry("CBHealthStatus", "completed");
    }

    @Test
    void shouldAddTheOutputWhenTheTaskDoesNotPointToItsOutcomeItself() {
        ReferralPackage completed = ReferralFixtures.completed();
        completed.task().getOutput().clear();
        Bundle bundle = parse(writer.status(completed));
        Task task = resource(bundle, Task.class);

        assertThat(task.getOutput()).hasSize(1);
        assertThat(task.getOutputFirstRep().getType().getText()).isEqualTo("Referral outcome");
        assertThat(((Reference) task.getOutputFirstRep().getValue()).getReference())
                .isEqualTo(fullUrl(bundle, DocumentReference.class));
    }

    @Test
    void everyResourceOfTheReferralAndTheStatusNoticesConformsToTheProfiles() {
        CbhResourceValidator validator = new CbhResourceValidator(FHIR, ReferralFixtures.CONFORMANCE);
        List<Bundle> bundles = List.of(
                parse(writer.referral(ReferralFixtures.created())),
                parse(writer.status(ReferralFixtures.scheduled())),
                parse(writer.status(ReferralFixtures.declined())),
                parse(writer.status(ReferralFixtures.completed())));
        for (Bundle bundle : bundles) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                List<SingleValidationMessage> errors = validator.validate(entry.getResource()).getMessages().stream()
                        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR
                                || m.getSeverity() == ResultSeverityEnum.FATAL)
                        .toList();
                assertThat(errors).as(entry.getResource().fhirType()).isEmpty();
            }
        }
    }

    private static Bundle parse(OutboundMessage message) {
        return FHIR.newJsonParser().parseResource(Bundle.class, message.body());
    }

    private static String logical(Reference reference) {
        assertThat(reference.hasReference()).as("literal reference").isFalse();
        return reference.getType() + " " + reference.getIdentifier().getSystem() + "|"
                + reference.getIdentifier().getValue() + " " + reference.getDisplay();
    }

    private static <T extends Resource> T resource(Bundle bundle, Class<T> type) {
        return ReferralFixtures.resource(bundle, type);
    }

    private static String fullUrl(Bundle bundle, Class<? extends Resource> type) {
        return bundle.getEntry().stream()
                .filter(e -> type.isInstance(e.getResource()))
                .findFirst()
                .orElseThrow()
                .getFullUrl();
    }
}
