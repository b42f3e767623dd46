package org.cbhealth.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.cbhealth.hub.support.AdminApi;
import org.cbhealth.hub.support.AuditTrail;
import org.cbhealth.hub.support.DirectoryFixtures;
import org.cbhealth.hub.support.FreePorts;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.MllpClient;
import org.cbhealth.hub.support.MllpListener;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.Queues;
import org.cbhealth.hub.support.Samples;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The audit trail of an end-to-end referral, over real sockets and queues: A's hospital refers over MLLP, B gets it
 * on its JMS queue and answers over its REST status channel, A's system gets each status notice on its MLLP
 * listener. Every exchange step is an AuditEvent, counted per referral (by its business key or Task reference);
 * REST interactions on /fhir are IHE BALP AuditEvents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferralAuditIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String a = "it-aud-a-" + suffix;
    private final String b = "it-aud-b-" + suffix;
    private final String bRegistryNumber = String.valueOf(6_000_000 + (Math.abs(suffix.hashCode()) % 999_999));
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
                outbound:
                  kind: mllp
                  settings:
                    host: 127.0.0.1
                    port: %d
                codeMappings:
                  - https://fhir.cbhealth.eu/ConceptMap/bg-nhif-specialty-to-cbh
                referralPartners: [%s]
                """
                                .formatted(aPort, aSystem.port(), b)));
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
                outbound:
                  kind: jms
                  settings:
                    queue: %s
                referralPartners: [%s]
                """
                                        .formatted(bQueue, a))
                        .replace("value: " + b, "value: \"" + bRegistryNumber + "\""));
        await().atMost(WAIT).untilAsserted(() -> {
            for (String partner : List.of(a, b)) {
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
    void everyExchangeStepOfAReferralIsAuditedOncePerMessage() throws Exception {
        String placer = "BG-AUD-" + suffix;
        assertThat(MllpClient.send(aPort, referral(placer))).contains("MSA|AA|" + placer);
        String taskId = task(placer).getIdElement().getIdPart();
        try (Queues queues = hubQueues()) {
            assertThat(queues.receiveMessage(bQueue, WAIT.toMillis())).isNotNull();
        }
        assertThat(status(b, taskId, "accepted").status()).isEqualTo(200);
        assertThat(aSystem.next(30, TimeUnit.SECONDS)).contains("RRI^I12");
        assertThat(status(b, taskId, "completed").status()).isEqualTo(200);
        assertThat(aSystem.next(30, TimeUnit.SECONDS)).contains("RRI^I12");

        // A's referral: received once, by its MSH-10, naming the stored Task's first version
        List<AuditEvent> received = withKey(audit().of(HubAudit.Step.RECEIVED, a), placer);
        assertThat(received).hasSize(1);
        AuditEvent referral = received.get(0);
        assertThat(referral.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(referral.getType().getCode()).isEqualTo("110107");
        assertThat(referral.getAgentFirstRep().getAltId()).isEqualTo(a);
        assertThat(referral.getEntityFirstRep().getName()).isEqualTo(a + "/referrals");
        assertThat(references(referral)).contains("Task/" + taskId + "/_history/1");
        assertThat(referral.getSubtypeFirstRep().getSystem()).isEqualTo(HubAudit.STEP_SYSTEM);

        // delivered to B once (after the delivery route's answer: awaited), by the hub referral number
        await().atMost(WAIT).untilAsserted(() -> assertThat(withKey(audit().of(HubAudit.Step.DELIVERED, b), taskId))
                .hasSize(1)
                .allSatisfy(e -> {
                    assertThat(e.getType().getCode()).isEqualTo("110106");
                    assertThat(e.getEntityFirstRep().getName()).isEqualTo(b + "/outbound");
                }));
        // B's two status messages received, each naming the Task version it made
        List<AuditEvent> statuses = audit().of(HubAudit.Step.RECEIVED, b).stream()
                .filter(e -> references(e).stream().anyMatch(r -> r.startsWith("Task/" + taskId + "/")))
                .toList();
        assertThat(statuses).hasSize(2);
        assertThat(statuses.stream().flatMap(e -> references(e).stream()).toList())
                .contains("Task/" + taskId + "/_history/2", "Task/" + taskId + "/_history/3");
        // A notified twice
        await().atMost(WAIT).untilAsserted(() -> assertThat(withKey(audit().of(HubAudit.Step.DELIVERED, a), taskId))
                .hasSize(2));
        assertThat(withKey(audit().of(HubAudit.Step.REFUSED, a), placer)).isEmpty();
        assertThat(withKey(audit().of(HubAudit.Step.DELIVERY_REFUSED, a), taskId))
                .isEmpty();
        // no patient data in the trail of this referral
        for (AuditEvent event : List.of(referral, statuses.get(0), statuses.get(1))) {
            assertThat(FhirContext.forR4Cached().newJsonParser().encodeResourceToString(event))
                    .doesNotContain("7501024918")
                    .doesNotContain("Иванова");
        }
    }

    @Test
    void aCopyIsAuditedAsReceivedAndNamedACopy() throws Exception {
        String placer = "BG-AUD-COPY-" + suffix;
        assertThat(MllpClient.send(aPort, referral(placer))).contains("MSA|AA|" + placer);
        assertThat(MllpClient.send(aPort, referral(placer))).contains("MSA|AA|" + placer);
        String taskId = task(placer).getIdElement().getIdPart();

        List<AuditEvent> received = withKey(audit().of(HubAudit.Step.RECEIVED, a), placer);
        assertThat(received).hasSize(2);
        assertThat(received.get(0).hasOutcomeDesc()).isFalse();
        assertThat(received.get(1).getOutcomeDesc()).isEqualTo("copy of an accepted message");
        assertThat(received).allSatisfy(e -> assertThat(references(e)).contains("Task/" + taskId + "/_history/1"));
        drain();
    }

    @Test
    void aRefusedMessageAndAReceiverRefusalAreAuditedOnce() throws Exception {
        // A's system sends a message type the channel does not take: AR, parked as the sender's fault
        String refused = "BG-AUD-BAD-" + suffix;
        String ack = MllpClient.send(aPort, referral(refused).replace("REF^I12^REF_I12", "ADT^A01^ADT_A01"));
        assertThat(ack).contains("MSA|AR|" + refused);
        await().atMost(WAIT).untilAsserted(() -> assertThat(withKey(audit().of(HubAudit.Step.REFUSED, a), refused))
                .hasSize(1)
                .allSatisfy(e -> {
                    assertThat(e.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
                    assertThat(e.getOutcomeDesc()).startsWith("parked as ").endsWith("(failed by sender)");
                    assertThat(e.getEntityFirstRep().getName()).isEqualTo(a + "/referrals");
                }));
        assertThat(withKey(audit().of(HubAudit.Step.RECEIVED, a), refused)).isEmpty();

        // A's system refuses the notice of a referral B accepts: parked, failed by the receiver
        String placer = "BG-AUD-NAK-" + suffix;
        aSystem.refuse(message -> message.contains(placer), "unknown referral");
        try {
            assertThat(MllpClient.send(aPort, referral(placer))).contains("MSA|AA|" + placer);
            String taskId = task(placer).getIdElement().getIdPart();
            drain();
            assertThat(status(b, taskId, "accepted").status()).isEqualTo(200);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(withKey(audit().of(HubAudit.Step.DELIVERY_REFUSED, a), taskId))
                            .hasSize(1)
                            .allSatisfy(e -> {
                                assertThat(e.getOutcomeDesc()).endsWith("(failed by receiver)");
                                assertThat(e.getEntityFirstRep().getName()).isEqualTo(a + "/outbound");
                            }));
            assertThat(withKey(audit().of(HubAudit.Step.DELIVERED, a), taskId)).isEmpty();
        } finally {
            aSystem.refuse(message -> false, null);
        }
    }

    @Test
    void restInteractionsOnFhirAreAuditedAsBalpEventsNotTheAuditWritesThemselves() throws Exception {
        String placer = "BG-AUD-REST-" + suffix;
        assertThat(MllpClient.send(aPort, referral(placer))).contains("MSA|AA|" + placer);
        String taskId = task(placer).getIdElement().getIdPart();
        drain();

        IGenericClient staff = staff();
        staff.read().resource(Task.class).withId(taskId).execute();
        staff.search().byUrl("Task?_id=" + taskId).returnBundle(Bundle.class).execute();

        List<AuditEvent> reads = audit().rest("read", "Task/" + taskId);
        assertThat(reads).hasSize(1);
        AuditEvent read = reads.get(0);
        assertThat(read.getType().getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/audit-event-type");
        assertThat(read.getType().getCode()).isEqualTo("rest");
        assertThat(read.getSubtypeFirstRep().getCode()).isEqualTo("read");
        assertThat(read.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(read.getMeta().getProfile())
                .anySatisfy(p -> assertThat(p.getValue()).contains("/BALP/"));
        assertThat(AuditTrail.requestor(read)).isEqualTo(ADMIN_USER);
        assertThat(read.getAgent())
                .anySatisfy(agent ->
                        assertThat(agent.getWho().getIdentifier().getSystem()).isEqualTo(HubAudit.STAFF_SYSTEM));
        assertThat(read.getAgent().stream().filter(agent -> agent.getNetwork().hasAddress()))
                .anySatisfy(agent -> assertThat(agent.getNetwork().getAddress()).isEqualTo("127.0.0.1"));
        assertThat(references(read)).contains("Task/" + taskId + "/_history/1");

        List<AuditEvent> searches = audit().rest("search-type", "Task/" + taskId);
        assertThat(searches).hasSize(1);
        assertThat(searches.get(0).getSubtypeFirstRep().getCode()).isEqualTo("search-type");
        assertThat(searches.get(0).getAction()).isEqualTo(AuditEvent.AuditEventAction.E);

        // the audit writes go through the DAO, not the REST server: no BALP event names an AuditEvent
        assertThat(audit().rest("create", "AuditEvent")).isEmpty();
    }

    @Test
    void eachWriteOfATransactionIsAuditedOnceNamingTheCommittedVersion() {
        Organization org = DirectoryFixtures.organization("LKH Wolfsberg " + suffix, "AT");
        org.setId(IdType.newRandomUuid());
        HealthcareService cardiology = DirectoryFixtures.healthcareService("Kardiologie " + suffix, "cardiology", "de");
        cardiology.setId(IdType.newRandomUuid());
        cardiology.setProvidedBy(new Reference(org.getId()));
        Bundle transaction = DirectoryFixtures.transaction(org, cardiology);
        Bundle response = staff().transaction().withBundle(transaction).execute();
        List<String> stored = response.getEntry().stream()
                .map(e -> new IdType(e.getResponse().getLocation())
                        .toUnqualified()
                        .getValue())
                .toList();
        assertThat(stored).hasSize(2);

        // BALP makes a write's event before the commit; it is stored after it, naming the version by reference
        // (stored earlier, the reference would not resolve and the event would keep it as an identifier only)
        for (String version : stored) {
            String resource = version.substring(0, version.indexOf("/_history/"));
            List<AuditEvent> creates = audit().rest("transaction", resource);
            assertThat(creates).as(resource).hasSize(1);
            assertThat(creates.get(0).getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
            assertThat(creates.get(0).getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
            assertThat(references(creates.get(0))).contains(version);
            assertThat(AuditTrail.requestor(creates.get(0))).isEqualTo(ADMIN_USER);
        }
        // and one Provenance for the transaction, naming every version it wrote, with the caller as author
        Bundle provenance = staff().search()
                .byUrl("Provenance?target="
                        + stored.get(0).substring(0, stored.get(0).indexOf("/_history/")))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(provenance.getEntry()).hasSize(1);
        Provenance written = (Provenance) provenance.getEntryFirstRep().getResource();
        assertThat(written.getTarget()).extracting(Reference::getReference).containsExactlyInAnyOrderElementsOf(stored);
        assertThat(written.getActivity().getCodingFirstRep().getCode()).isEqualTo("CREATE");
        assertThat(written.getAgentFirstRep().getWho().getIdentifier().getValue())
                .isEqualTo(ADMIN_USER);
    }

    @Test
    void aPartnersReadIsAuditedWithThePartnerAndItsOrganizationAsAgent() throws Exception {
        IGenericClient partner = partnerFhirClient(b);
        Bundle found = partner.search()
                .byUrl("Organization?identifier=urn:oid:1.3.6.1.4.1.58762.1.1|" + a)
                .returnBundle(Bundle.class)
                .execute();
        String organizationId =
                found.getEntryFirstRep().getResource().getIdElement().getIdPart();
        partner.read().resource(Organization.class).withId(organizationId).execute();

        List<AuditEvent> reads = audit().rest("read", "Organization/" + organizationId).stream()
                .filter(e -> b.equals(AuditTrail.requestor(e)))
                .toList();
        assertThat(reads).hasSize(1);
        AuditEvent.AuditEventAgentComponent user = reads.get(0).getAgent().stream()
                .filter(AuditEvent.AuditEventAgentComponent::getRequestor)
                .findFirst()
                .orElseThrow();
        assertThat(user.getWho().getIdentifier().getSystem()).isEqualTo(HubAudit.PARTNER_SYSTEM);
        assertThat(user.getWho().getIdentifier().getValue()).isEqualTo(b);
        assertThat(user.getWho().getReference()).startsWith("Organization/");
    }

    private static List<AuditEvent> withKey(List<AuditEvent> events, String businessKey) {
        return events.stream()
                .filter(e -> e.getEntity().stream()
                        .anyMatch(x ->
                                businessKey.equals(x.getWhat().getIdentifier().getValue())))
                .toList();
    }

    private static List<String> references(AuditEvent event) {
        return event.getEntity().stream()
                .map(e -> e.getWhat().getReference())
                .filter(r -> r != null)
                .toList();
    }

    private void drain() throws Exception {
        try (Queues queues = hubQueues()) {
            await().atMost(WAIT).until(() -> queues.receive(bQueue, 200) == null && queues.depth(bQueue) == 0);
        }
    }

    private String referral(String placer) {
        // MSH-4 is A's own facility: the hub binds a partner's sending facility to its connection
        return Samples.hl7From("referral/ref-i12-bg-to-mk.hl7", a)
                .replace("BG-REF-000123", placer)
                .replace("4068491", bRegistryNumber);
    }

    /** The integrator's FHIR client (HTTP Basic). */
    private IGenericClient staff() {
        IGenericClient client = fhirClient();
        client.registerInterceptor(new BasicAuthInterceptor(ADMIN_USER, ADMIN_PASSWORD));
        return client;
    }

    private Task task(String placer) {
        Bundle tasks = staff().search()
                .byUrl("Task?identifier=" + CbhCanonical.partnerIdentifierSystem(a, "referral-task") + "|" + placer)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(tasks.getEntry()).hasSize(1);
        return (Task) tasks.getEntry().get(0).getResource();
    }

    private AdminApi.Answer status(String partner, String taskId, String status) {
        Task update = new Task();
        update.addIdentifier().setSystem(CbhCanonical.SID_HUB_REFERRAL).setValue(taskId);
        update.setBusinessStatus(
                new CodeableConcept().addCoding(new Coding(CbhCanonical.CS_TASK_BUSINESS_STATUS, status, null)));
        return admin().post(
                        "/api/partners/" + partner + "/status",
                        FhirContext.forR4Cached()
                                .newJsonParser()
                                .encodeResourceToString(update)
                                .getBytes(StandardCharsets.UTF_8),
                        "application/fhir+json");
    }
}
