package org.cbhealth.hub.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.cbhealth.hub.support.AdminApi;
import org.cbhealth.hub.support.FreePorts;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.MllpClient;
import org.cbhealth.hub.support.MllpListener;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.Queues;
import org.cbhealth.hub.support.Samples;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The closed loop of a cross-border referral, over real sockets and queues: partner A (Blagoevgrad-like) sends a
 * REF^I12 over MLLP; partner B (Štip-like) receives it as FHIR on its JMS queue, accepts and completes it over its
 * REST status channel; A receives each status change as HL7 v2 on its own MLLP listener; /fhir shows the Task's
 * history. Each test class run uses partner ids and a destination registry number of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferralLoopIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String a = "it-ref-a-" + suffix;
    private final String b = "it-ref-b-" + suffix;
    private final String c = "it-ref-c-" + suffix;
    private final String bRegistryNumber = String.valueOf(5_000_000 + (Math.abs(suffix.hashCode()) % 999_999));
    private final String bQueue = "it.partner." + b + ".referrals";
    private final int aPort = FreePorts.next();
    private MllpListener aSystem;

    @BeforeAll
    void partners() throws Exception {
        aSystem = new MllpListener();
        PartnerFiles.write(
                PARTNERS_DIR,
                a + ".yaml",
                PartnerFiles.partner(
                        a,
                        """
                inbound:
                  - name: referrals
                    kind: mllp
                    format: hl7v2
                    flow: referral
                    settings:
                      port: %d
                  - name: status
                    kind: rest
                    format: fhir
                    flow: referral-status
                  - name: applications
                    kind: rest
                    format: json
                    flow: referral
                  - name: referrals-jms
                    kind: jms
                    format: hl7v2
                    flow: referral
                    settings:
                      queue: it.partner.%s.referrals.in
                outbound:
                  kind: mllp
                  settings:
                    host: 127.0.0.1
                    port: %d
                codeMappings:
                  - https://fhir.cbhealth.eu/ConceptMap/bg-nhif-specialty-to-cbh
                referralPartners: [%s]
                """
                                .formatted(aPort, a, aSystem.port(), b)));
        PartnerFiles.write(
                PARTNERS_DIR,
                b + ".yaml",
                PartnerFiles.partner(
                                b,
                                """
                inbound:
                  - name: status
                    kind: rest
                    format: fhir
                    flow: referral-status
                  - name: status-json
                    kind: rest
                    format: json
                    flow: referral-status
                outbound:
                  kind: jms
                  settings:
                    queue: %s
                referralPartners: [%s]
                """
                                        .formatted(bQueue, a))
                        .replace("value: " + b, "value: \"" + bRegistryNumber + "\""));
        PartnerFiles.write(
                PARTNERS_DIR,
                c + ".yaml",
                PartnerFiles.partner(
                        c,
                        """
                outbound:
                  kind: jms
                  settings:
                    queue: it.partner.%s.referrals
                referralPartners: []
                """
                                .formatted(c)));
        await().atMost(WAIT).untilAsserted(() -> {
            for (String partner : List.of(a, b, c)) {
                assertThat(admin().partner(partner)).isNotNull();
                assertThat(admin().partner(partner)).isNotNull();
                assertThat(admin().partner(partner).get("routes").findValuesAsText("state"))
                        .containsOnly("Started");
            }
        });
    }

    @AfterAll
    void closeListener() throws Exception {
        aSystem.close();
    }

    @Test
    void referralClosedLoopFromMllpToJmsWithStatusBackOverRestAndMllp() throws Exception {
        String placer = "BG-REF-" + suffix;
        String referral = referral(placer);

        // 1. A refers a patient over MLLP, five times (its system resends): one referral
        for (int i = 0; i < 5; i++) {
            assertThat(MllpClient.send(aPort, referral)).contains("MSA|AA|" + placer);
        }
        Task task = task(placer);
        String taskId = task.getIdElement().getIdPart();
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(searchCount("ServiceRequest?identifier=" + CbhCanonical.partnerIdentifierSystem(a, "referral") + "|"
                        + placer))
                .isEqualTo(1);

        // 2. B receives it once on its own queue, as a FHIR transaction Bundle
        try (Queues queues = hubQueues()) {
            Message delivered = queues.receiveMessage(bQueue, WAIT.toMillis());
            assertThat(delivered).isNotNull();
            assertThat(delivered.getStringProperty("CBHealthMessageType")).isEqualTo("referral");
            assertThat(delivered.getStringProperty("CBHealthReferral")).isEqualTo(taskId);
            Bundle bundle = FhirContext.forR4Cached()
                    .newJsonParser()
                    .parseResource(Bundle.class, ((TextMessage) delivered).getText());
            assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
            Task deliveredTask = bundle.getEntry().stream()
                    .map(Bundle.BundleEntryComponent::getResource)
                    .filter(Task.class::isInstance)
                    .map(Task.class::cast)
                    .findFirst()
                    .orElseThrow();
            assertThat(deliveredTask.getIdentifier()).anySatisfy(id -> {
                assertThat(id.getSystem()).isEqualTo(CbhCanonical.SID_HUB_REFERRAL);
                assertThat(id.getValue()).isEqualTo(taskId);
            });
            Patient patient = bundle.getEntry().stream()
                    .map(Bundle.BundleEntryComponent::getResource)
                    .filter(Patient.class::isInstance)
                    .map(Patient.class::cast)
                    .findFirst()
                    .orElseThrow();
            assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("7501024918");
            assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Иванова");
            assertThat(queues.receive(bQueue, 1000)).as("delivered once").isNull();
        }

        // 3. B accepts over its REST status channel; A's system receives RRI^I12 with RF1-1 A
        AdminApi.Answer accepted = partnerPost(b, "status", statusTask(taskId, "accepted", null));
        assertThat(accepted.status()).isEqualTo(200);
        String acceptedNotice = aSystem.next(30, TimeUnit.SECONDS);
        assertThat(acceptedNotice).startsWith("MSH|").contains("RRI^I12");
        assertThat(segment(acceptedNotice, "RF1")[1]).startsWith("A");

        // the same update again: the same answer, no new version, no second notice
        assertThat(partnerPost(b, "status", statusTask(taskId, "accepted", null))
                        .status())
                .isEqualTo(200);

        // 4. later B completes it; A receives that too
        AdminApi.Answer completed = partnerPost(b, "status", statusTask(taskId, "completed", null));
        assertThat(completed.status()).isEqualTo(200);
        String completedNotice = aSystem.next(30, TimeUnit.SECONDS);
        assertThat(segment(completedNotice, "RF1")[1]).startsWith("completed");
        assertThat(aSystem.waiting()).isZero();

        // 5. /fhir shows the Task's history: created, accepted, completed
        Bundle history = fhirClient()
                .history()
                .onInstance("Task/" + taskId)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(history.getEntry().stream()
                        .map(e -> ((Task) e.getResource())
                                .getBusinessStatus()
                                .getCodingFirstRep()
                                .getCode())
                        .toList())
                .containsExactly("completed", "accepted", "created");

        // 6. completed is final: going back is refused with the transition named, and nothing changes
        AdminApi.Answer back = partnerPost(b, "status", statusTask(taskId, "received", null));
        assertThat(back.status()).isEqualTo(422);
        assertThat(back.text()).contains("a referral that is completed cannot become received (completed is final)");
        assertThat(task(placer).getIdElement().getVersionIdPart()).isEqualTo("3");

        // 7. staff queries: Task by status, owner, requester and patient; ServiceRequest with its Patient and Task
        Task done = task(placer);
        String patientRef = done.getFor().getReference();
        assertThat(searchCount("Task?status=completed&owner=" + done.getOwner().getReference() + "&requester="
                        + done.getRequester().getReference() + "&patient=" + patientRef))
                .isEqualTo(1);
        assertThat(searchCount("Task?status=requested&owner=" + done.getOwner().getReference() + "&identifier="
                        + CbhCanonical.partnerIdentifierSystem(a, "referral-task") + "|" + placer))
                .isZero();
        Bundle withIncludes = fhirClient()
                .search()
                .byUrl("ServiceRequest?_id="
                        + new org.hl7.fhir.r4.model.IdType(done.getFocus().getReference()).getIdPart()
                        + "&_include=ServiceRequest:patient&_revinclude=Task:focus")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(withIncludes.getEntry().stream()
                        .map(e -> e.getResource().fhirType())
                        .sorted()
                        .toList())
                .containsExactly("Patient", "ServiceRequest", "Task");
    }

    @Test
    void statusFromAPartnerThatIsNotTheDestinationIsRefused() throws Exception {
        String placer = "BG-NOTOWNER-" + suffix;
        assertThat(MllpClient.send(aPort, referral(placer))).contains("MSA|AA|" + placer);
        String taskId = task(placer).getIdElement().getIdPart();
        AdminApi.Answer answer = partnerPost(a, "status", statusTask(taskId, "accepted", null));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.text())
                .contains("partner '" + a + "' may not change referral " + taskId + ": only its destination '" + b);
        drain();
    }

    @Test
    void invalidTransitionOverFhirIsRefusedWith422NamingIt() throws Exception {
        String placer = "BG-FHIR-" + suffix;
        assertThat(MllpClient.send(aPort, referral(placer))).contains("MSA|AA|" + placer);
        Task task = task(placer);
        task.setBusinessStatus(status("completed")).setStatus(Task.TaskStatus.COMPLETED);
        try {
            fhirClient().update().resource(task).execute();
            throw new AssertionError("created → completed was stored");
        } catch (UnprocessableEntityException refused) {
            assertThat(refused.getMessage())
                    .contains("a referral that is created cannot become completed;"
                            + " from created it can become received, accepted, declined, scheduled, cancelled");
        }
        drain();
    }

    @Test
    void referralPostedToFhirBetweenPartnersThatMayNotExchangeIsRefused() throws Exception {
        String placer = "BG-NOTALLOWED-" + suffix;
        assertThat(MllpClient.send(aPort, referral(placer))).contains("MSA|AA|" + placer);
        Task existing = task(placer);
        Task other = existing.copy();
        other.setId((String) null);
        other.setMeta(null);
        other.getIdentifier().clear();
        other.addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(a, "referral-task"))
                .setValue(placer + "-C");
        String cOrganization = organizationOf(c);
        other.getOwner().setReference(cOrganization);
        try {
            fhirClient().create().resource(other).execute();
            throw new AssertionError("a referral to a partner that may not receive it was stored");
        } catch (UnprocessableEntityException refused) {
            assertThat(refused.getMessage())
                    .contains("partners '" + a + "' and '" + c + "' may not exchange referrals");
        }
        // the same referral number again, without a conditional create: the unique key refuses it
        Task duplicate = existing.copy();
        duplicate.setId((String) null);
        duplicate.setMeta(null);
        try {
            fhirClient().create().resource(duplicate).execute();
            throw new AssertionError("a second Task with the same referral number was stored");
        } catch (ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException refused) {
            assertThat(refused.getMessage()).contains("is stored already");
        }
        drain();
    }

    @Test
    void referralBundlePostedToFhirIsStoredOnceAndDeliveredOnce() throws Exception {
        String placer = "BG-BUNDLE-" + suffix;
        String requester = organizationOf(a);
        String owner = organizationOf(b);
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(CbhCanonical.SID_BG_EGN).setValue("7501024918");
        patient.addName().setFamily("Иванова").addGiven("Мария");
        patient.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1975-01-02"));
        entry(
                transaction,
                "urn:uuid:0b7e1b2c-0000-4000-8000-000000000001",
                patient,
                "identifier=" + CbhCanonical.SID_BG_EGN + "|7501024918");
        org.hl7.fhir.r4.model.ServiceRequest request = new org.hl7.fhir.r4.model.ServiceRequest();
        request.addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(a, "referral"))
                .setValue(placer);
        request.setStatus(org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus.ACTIVE);
        request.setIntent(org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent.ORDER);
        request.getCode().addCoding(new Coding(CbhCanonical.CS_SPECIALTY, "cardiology", null));
        request.getSubject().setReference("urn:uuid:0b7e1b2c-0000-4000-8000-000000000001");
        request.getRequester().setReference(requester);
        request.addPerformer().setReference(owner);
        request.setAuthoredOnElement(new org.hl7.fhir.r4.model.DateTimeType("2026-11-20T09:30:00+02:00"));
        entry(
                transaction,
                "urn:uuid:0b7e1b2c-0000-4000-8000-000000000002",
                request,
                "identifier=" + CbhCanonical.partnerIdentifierSystem(a, "referral") + "|" + placer);
        Task task = new Task();
        task.addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(a, "referral-task"))
                .setValue(placer);
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setBusinessStatus(status("created"));
        task.getFocus().setReference("urn:uuid:0b7e1b2c-0000-4000-8000-000000000002");
        task.getFor().setReference("urn:uuid:0b7e1b2c-0000-4000-8000-000000000001");
        task.setAuthoredOnElement(new org.hl7.fhir.r4.model.DateTimeType("2026-11-20T09:30:00+02:00"));
        task.getRequester().setReference(requester);
        task.getOwner().setReference(owner);
        entry(
                transaction,
                "urn:uuid:0b7e1b2c-0000-4000-8000-000000000003",
                task,
                "identifier=" + CbhCanonical.partnerIdentifierSystem(a, "referral-task") + "|" + placer);

        for (int i = 0; i < 5; i++) {
            Bundle response = fhirClient().transaction().withBundle(transaction).execute();
            assertThat(response.getEntry()).hasSize(3);
            assertThat(response.getEntry().get(2).getResponse().getStatus()).startsWith(i == 0 ? "201" : "200");
        }
        String taskId = task(placer).getIdElement().getIdPart();
        try (Queues queues = hubQueues()) {
            Message delivered = queues.receiveMessage(bQueue, WAIT.toMillis());
            assertThat(delivered).isNotNull();
            assertThat(delivered.getStringProperty("CBHealthReferral")).isEqualTo(taskId);
            assertThat(delivered.getStringProperty("CBHealthReferrerNumber")).isEqualTo(placer);
            assertThat(queues.receive(bQueue, 1000)).as("delivered once").isNull();
        }
    }

    @Test
    void jsonApplicationOverRestIsStoredDeliveredAndScheduledThenDeclinedIsRefused() throws Exception {
        String number = "LOKL-" + suffix;
        String application = new String(
                        Samples.bytes("referral/treatment-abroad-ua-to-pl.json"), StandardCharsets.UTF_8)
                .replace("LOKL-2026-004417", number)
                .replace("PL-RPWDL-000000012345", bRegistryNumber);
        for (int i = 0; i < 3; i++) {
            AdminApi.Answer answer = partnerApi(a)
                    .post(
                            "/api/partners/" + a + "/applications",
                            application.getBytes(StandardCharsets.UTF_8),
                            "application/json");
            assertThat(answer.status()).isEqualTo(200);
        }
        Task task = task(number);
        String taskId = task.getIdElement().getIdPart();
        try (Queues queues = hubQueues()) {
            Message delivered = queues.receiveMessage(bQueue, WAIT.toMillis());
            assertThat(delivered).isNotNull();
            assertThat(delivered.getStringProperty("CBHealthReferrerNumber")).isEqualTo(number);
            String bundle = ((TextMessage) delivered).getText();
            assertThat(bundle).contains("\"DocumentReference\"").contains("Шевченко");
            assertThat(queues.receive(bQueue, 1000)).isNull();
        }

        // B schedules it (JSON status channel), by the referrer's number
        AdminApi.Answer scheduled = partnerApi(b)
                .post(
                        "/api/partners/" + b + "/status-json",
                        ("{\"placer\":{\"partner\":\"" + a + "\",\"value\":\"" + number
                                        + "\"},\"status\":\"scheduled\",\"scheduledStart\":\"2026-12-03T09:00:00+01:00\"}")
                                .getBytes(StandardCharsets.UTF_8),
                        "application/json");
        assertThat(scheduled.status()).isEqualTo(200);
        assertThat(scheduled.text()).contains("Task/" + taskId + "/_history/2");
        Task now = task(number);
        assertThat(now.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("scheduled");
        assertThat(now.getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);
        assertThat(now.getRestriction().getPeriod().getStartElement().getValueAsString())
                .isEqualTo("2026-12-03T09:00:00+01:00");
        String notice = aSystem.next(30, TimeUnit.SECONDS);
        assertThat(segment(notice, "RF1")[1]).startsWith("A");

        // scheduled → declined is not a transition
        AdminApi.Answer declined = partnerApi(b)
                .post(
                        "/api/partners/" + b + "/status-json",
                        ("{\"referral\":\"" + taskId + "\",\"status\":\"declined\",\"reason\":\"no capacity\"}")
                                .getBytes(StandardCharsets.UTF_8),
                        "application/json");
        assertThat(declined.status()).isEqualTo(422);
        assertThat(declined.text())
                .contains("a referral that is scheduled cannot become declined;"
                        + " from scheduled it can become scheduled, completed, cancelled");
    }

    @Test
    void referralOnThePartnersJmsQueueIsStoredAndDelivered() throws Exception {
        String placer = "BG-JMS-" + suffix;
        try (Queues queues = hubQueues()) {
            queues.send("it.partner." + a + ".referrals.in", referral(placer));
            queues.send("it.partner." + a + ".referrals.in", referral(placer));
            Message delivered = queues.receiveMessage(bQueue, WAIT.toMillis());
            assertThat(delivered).isNotNull();
            assertThat(delivered.getStringProperty("CBHealthReferrerNumber")).isEqualTo(placer);
            await().atMost(WAIT).until(() -> queues.depth("it.partner." + a + ".referrals.in") == 0);
            assertThat(queues.receive(bQueue, 1000))
                    .as("a referral sent twice is delivered once")
                    .isNull();
        }
        assertThat(task(placer).getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
    }

    @Test
    void badReferralOnTheJmsQueueIsParkedWithItsReasonAndTheGoodOneBehindItIsStored() throws Exception {
        String queue = "it.partner." + a + ".referrals.in";
        String bad = Samples.hl7From("referral/bad/wrong-egn-check-digit.hl7", a);
        String placer = "BG-AFTERBAD-" + suffix;
        java.util.function.IntSupplier parkedOfChannel = () -> (int) parked().of(a).stream()
                .filter(p -> "referrals-jms".equals(p.channel()) && "sender".equals(p.failedBy()))
                .count();
        try (Queues queues = hubQueues()) {
            int parkedBefore = parkedOfChannel.getAsInt();
            queues.send(queue, bad);
            queues.send(queue, referral(placer));
            Message delivered = queues.receiveMessage(bQueue, WAIT.toMillis());
            assertThat(delivered).isNotNull();
            assertThat(delivered.getStringProperty("CBHealthReferrerNumber")).isEqualTo(placer);
            await().atMost(WAIT).until(() -> parkedOfChannel.getAsInt() == parkedBefore + 1);
            assertThat(queues.depth(queue)).isZero();
        }
    }

    @Test
    void badJsonApplicationIsAnswered422NamingTheFieldsAndKeptForReplay() throws Exception {
        byte[] bad = Samples.bytes("referral/bad/treatment-abroad-bad-rnokpp-and-date.json");
        int parkedBefore = parked().count(a);
        AdminApi.Answer answer = partnerApi(a).post("/api/partners/" + a + "/applications", bad, "application/json");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.text()).contains("/patient/rnokpp");
        await().atMost(WAIT).until(() -> parked().count(a) == parkedBefore + 1);
        assertThat(parked().of(a).get(parkedBefore).outcomeJson()).contains("/patient/rnokpp");
    }

    private static void entry(
            Bundle bundle, String fullUrl, org.hl7.fhir.r4.model.Resource resource, String ifNoneExist) {
        bundle.addEntry()
                .setFullUrl(fullUrl)
                .setResource(resource)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl(resource.fhirType())
                .setIfNoneExist(ifNoneExist);
    }

    private void drain() throws Exception {
        try (Queues queues = hubQueues()) {
            await().atMost(WAIT).until(() -> queues.receive(bQueue, 200) == null && queues.depth(bQueue) == 0);
        }
    }

    private String referral(String placer) {
        return Samples.hl7From("referral/ref-i12-bg-to-mk.hl7", a)
                .replace("BG-REF-000123", placer)
                .replace("4068491", bRegistryNumber);
    }

    private Task task(String placer) {
        Bundle tasks = fhirClient()
                .search()
                .byUrl("Task?identifier=" + CbhCanonical.partnerIdentifierSystem(a, "referral-task") + "|" + placer)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(tasks.getEntry()).hasSize(1);
        return (Task) tasks.getEntry().get(0).getResource();
    }

    private String organizationOf(String partner) {
        Bundle organizations = fhirClient()
                .search()
                .byUrl("Organization?identifier=urn:oid:1.3.6.1.4.1.58762.1.1|"
                        + (partner.equals(b) ? bRegistryNumber : partner))
                .returnBundle(Bundle.class)
                .execute();
        if (organizations.getEntry().isEmpty()) {
            Bundle all = fhirClient()
                    .search()
                    .byUrl("Organization?_count=200")
                    .returnBundle(Bundle.class)
                    .execute();
            throw new AssertionError("no Organization of " + partner + "; there are: "
                    + all.getEntry().stream()
                            .map(e -> FhirContext.forR4Cached().newJsonParser().encodeResourceToString(e.getResource()))
                            .toList());
        }
        return organizations
                .getEntry()
                .get(0)
                .getResource()
                .getIdElement()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private int searchCount(String query) {
        return fhirClient()
                .search()
                .byUrl(query)
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .size();
    }

    private static String statusTask(String taskId, String status, String reason) {
        Task update = new Task();
        update.addIdentifier().setSystem(CbhCanonical.SID_HUB_REFERRAL).setValue(taskId);
        update.setBusinessStatus(status(status));
        if (reason != null) {
            update.getStatusReason().setText(reason);
        }
        return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(update);
    }

    private static CodeableConcept status(String code) {
        return new CodeableConcept().addCoding(new Coding(CbhCanonical.CS_TASK_BUSINESS_STATUS, code, null));
    }

    private static String[] segment(String message, String name) {
        for (String segment : message.split("\r")) {
            if (segment.startsWith(name + "|")) {
                return segment.split("\\|", -1);
            }
        }
        throw new AssertionError("no " + name + " segment in " + message.replace('\r', '\n'));
    }

    /** Posts to the partner's channel as its system does (its access token). */
    private AdminApi.Answer partnerPost(String partner, String channel, String body) {
        return partnerApi(partner)
                .post(
                        "/api/partners/" + partner + "/" + channel,
                        body.getBytes(StandardCharsets.UTF_8),
                        "application/fhir+json");
    }
}
