package org.cbhealth.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.cbhealth.hub.security.HubPrincipal.StaffRole;
import org.cbhealth.hub.support.FreePorts;
import org.cbhealth.hub.support.HttpAuth;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.MllpClient;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.Samples;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.referral.ReferralStateMachine;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The isolation matrix on {@code /fhir}, over real HTTP: partner B refers a patient to C over its MLLP channel, A
 * refers its own patient to C; A then tries every way of reaching B's referral. Each attempt is refused (403) or
 * answers as if B's data did not exist (404, an empty result), the raw answer holds no byte of B's data (ids,
 * referral number, EGN, name), and each attempt is audited as one denial for A. Positive controls show the same
 * requests work for those entitled: A on its own referral, C (the receiver) and a coordinator on B's, everyone on
 * the directory. See docs/isolation.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FhirIsolationIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String a = "it-iso-a-" + suffix;
    private final String b = "it-iso-b-" + suffix;
    private final String c = "it-iso-c-" + suffix;
    private final String cRegistryNumber = String.valueOf(6_000_000 + (Math.abs(suffix.hashCode()) % 999_999));
    private final int aPort = FreePorts.next();
    private final int bPort = FreePorts.next();
    private final String bPlacer = "B-REF-" + suffix;
    private final String aPlacer = "A-REF-" + suffix;
    private final String bEgn = egn(1);
    private final String aEgn = egn(2);
    private final String bFamily = "Бисерова" + suffix.substring(0, 4);
    private final HttpClient http = HttpClient.newHttpClient();

    /** B's referral as stored: every resource id, for the raw-text checks. */
    private Referral bReferral;

    private Referral aReferral;

    record Referral(String task, String serviceRequest, String patient, List<String> all) {}

    record Answer(int status, String body) {}

    @BeforeAll
    void partnersAndReferrals() throws Exception {
        PartnerFiles.write(PARTNERS_DIR, a + ".yaml", PartnerFiles.mllpReferralSender(a, aPort, c));
        PartnerFiles.write(PARTNERS_DIR, b + ".yaml", PartnerFiles.mllpReferralSender(b, bPort, c));
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
                referralPartners: [%s, %s]
                """
                                        .formatted(c, a, b))
                        .replace("value: " + c, "value: \"" + cRegistryNumber + "\""));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(MllpClient.send(bPort, referral(b, bPlacer, bEgn, bFamily)))
                    .contains("MSA|AA|" + bPlacer);
        });
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(MllpClient.send(aPort, referral(a, aPlacer, aEgn, "Аленова")))
                    .contains("MSA|AA|" + aPlacer);
        });
        bReferral = stored(b, bPlacer);
        aReferral = stored(a, aPlacer);
    }

    // ---- A tries to reach B's referral: refused or as if absent, nothing of B in the answer, audited ----

    @Test
    void readAndVreadOfBsResourcesAnswerNotFound() {
        for (String id : bReferral.all()) {
            // the 404 may name the id A asked for; nothing else
            denied(() -> get(a, id), 404, id);
            denied(() -> get(a, id + "/_history/1"), 404, id + "/_history/1");
        }
    }

    @Test
    void searchesByIdIdentifierPatientAndChainFindNothingOfB() {
        String bPatientId = idPart(bReferral.patient());
        empty(() -> get(a, "Patient?_id=" + bPatientId));
        empty(() -> get(a, "ServiceRequest?_id=" + idPart(bReferral.serviceRequest())));
        empty(() -> get(
                a,
                "ServiceRequest?identifier="
                        + enc(CbhCanonical.partnerIdentifierSystem(b, "referral") + "|" + bPlacer)));
        empty(() -> get(
                a, "Task?identifier=" + enc(CbhCanonical.partnerIdentifierSystem(b, "referral-task") + "|" + bPlacer)));
        empty(() -> get(a, "Patient?identifier=" + enc(CbhCanonical.SID_BG_EGN + "|" + bEgn)));
        empty(() -> get(a, "Patient?identifier=" + bEgn));
        empty(() -> get(a, "ServiceRequest?subject=" + bReferral.patient()));
        empty(() -> get(a, "Task?patient=" + bReferral.patient()));
        empty(() -> get(a, "ServiceRequest?subject:Patient.identifier=" + enc(CbhCanonical.SID_BG_EGN + "|" + bEgn)));
        empty(() -> get(a, "Task?focus:ServiceRequest.identifier=" + enc(bPlacer)));
        empty(() -> get(a, "Patient?family=" + enc(bFamily)));
    }

    @Test
    void reverseChainsAndTextSearchAreRefused() {
        denied(() -> get(a, "Patient?_has:ServiceRequest:subject:identifier=" + enc(bPlacer)), 403);
        denied(() -> get(a, "Patient?_content=" + enc(bFamily)), 403);
        denied(() -> get(a, "ServiceRequest?_filter=" + enc("identifier eq " + bPlacer)), 403);
        denied(() -> get(a, "ServiceRequest?_summary=count"), 403);
        denied(() -> get(a, "Patient?_total=accurate"), 403);
    }

    @Test
    void includesShowOnlyWhatAMaySee() {
        String cOrganization = organizationOf(c);
        Answer revinclude = withheld(
                () -> get(a, "Organization?_id=" + idPart(cOrganization) + "&_revinclude=ServiceRequest:performer"));
        assertThat(revinclude.body()).contains(aReferral.serviceRequest());
        Answer include =
                withheld(() -> get(a, "Task?_include=Task:patient&_include=Task:focus&owner=" + cOrganization));
        assertThat(include.body()).contains(aReferral.task()).contains(aReferral.patient());
    }

    @Test
    void historyOfInstanceTypeAndSystemShowsNothingOfB() {
        withheld(() -> get(a, bReferral.patient() + "/_history"));
        withheld(() -> get(a, bReferral.task() + "/_history"));
        withheld(() -> get(a, "Patient/_history"));
        withheld(() -> get(a, "Task/_history"));
        // the whole server's history is not for partners at all (HAPI's read rules do not cover it)
        denied(() -> get(a, "_history"), 403);
    }

    @Test
    void conditionalCreateAndUpdateMatchingBsDataAreRefused() {
        String patient = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + CbhCanonical.SID_BG_EGN
                + "\",\"value\":\"" + bEgn + "\"}]}";
        denied(
                () -> send(
                        a,
                        "POST",
                        "Patient",
                        patient,
                        "If-None-Exist",
                        "identifier=" + CbhCanonical.SID_BG_EGN + "|" + bEgn),
                403);
        String serviceRequest = "{\"resourceType\":\"ServiceRequest\",\"status\":\"active\",\"intent\":\"order\","
                + "\"subject\":{\"reference\":\"" + aReferral.patient() + "\"}}";
        denied(
                () -> send(
                        a,
                        "PUT",
                        "ServiceRequest?identifier="
                                + enc(CbhCanonical.partnerIdentifierSystem(b, "referral") + "|" + bPlacer),
                        serviceRequest,
                        null),
                403);
        denied(
                () -> send(
                        a,
                        "PUT",
                        bReferral.patient(),
                        patient.replace(
                                "{\"resourceType\":\"Patient\",",
                                "{\"resourceType\":\"Patient\",\"id\":\"" + idPart(bReferral.patient()) + "\","),
                        null),
                403);
    }

    @Test
    void batchAndTransactionEntriesDoNotReachB() {
        String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"request\":{\"method\":\"GET\",\"url\":\"" + bReferral.patient() + "\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"ServiceRequest?identifier="
                + enc(CbhCanonical.partnerIdentifierSystem(b, "referral") + "|" + bPlacer) + "\"}}]}";
        Answer batchAnswer = attempt(() -> send(a, "POST", "", batch, null), false);
        assertThat(batchAnswer.status()).isEqualTo(200);
        assertThat(batchAnswer.body()).doesNotContain("\"resourceType\":\"Patient\"");
        noTraceOfB(batchAnswer);
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"" + idPart(bReferral.patient())
                + "\",\"active\":false},\"request\":{\"method\":\"PUT\",\"url\":\"" + bReferral.patient() + "\"}}]}";
        denied(() -> send(a, "POST", "", transaction, null), 403);
        String conditional = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Patient\"},\"request\":{\"method\":\"POST\",\"url\":\"Patient\","
                + "\"ifNoneExist\":\"identifier=" + bEgn + "\"}}]}";
        denied(() -> send(a, "POST", "", conditional, null), 403);
    }

    @Test
    void subscriptionEverythingMetaAndAuditTrailAreRefused() {
        String subscription = "{\"resourceType\":\"Subscription\",\"status\":\"requested\",\"reason\":\"x\","
                + "\"criteria\":\"Task?owner=" + organizationOf(c) + "\",\"channel\":{\"type\":\"rest-hook\","
                + "\"endpoint\":\"http://127.0.0.1:9/\"}}";
        denied(() -> send(a, "POST", "Subscription", subscription, null), 403);
        denied(() -> get(a, bReferral.patient() + "/$everything"), 403);
        denied(() -> get(a, "Patient/$everything"), 403);
        denied(
                () -> send(a, "POST", bReferral.patient() + "/$meta-delete", "{\"resourceType\":\"Parameters\"}", null),
                403);
        denied(() -> get(a, "AuditEvent"), 403);
    }

    // ---- positive controls ----

    @Test
    void eachPartySeesItsOwnReferralAndStaffByRole() {
        for (String id : aReferral.all()) {
            assertThat(get(a, id).status()).as("A reads its own %s", id).isEqualTo(200);
        }
        for (String id : bReferral.all()) {
            assertThat(get(c, id).status()).as("C, the receiver, reads %s", id).isEqualTo(200);
            assertThat(get(b, id).status()).as("B, the referrer, reads %s", id).isEqualTo(200);
            assertThat(staff(StaffRole.COORDINATOR, "GET", id).status()).isEqualTo(200);
            assertThat(staff(StaffRole.VIEWER, "GET", id).status()).isEqualTo(403);
        }
        assertThat(staff(StaffRole.VIEWER, "GET", organizationOf(b)).status()).isEqualTo(200);
        assertThat(staff(StaffRole.COORDINATOR, "GET", "AuditEvent").status()).isEqualTo(403);
        assertThat(get(a, organizationOf(b)).status()).isEqualTo(200);
        assertThat(get(a, "Organization?_id=" + idPart(organizationOf(b))).body())
                .contains(organizationOf(b));
    }

    @Test
    void everyoneCountsTheDirectoryAndAViewerCannotProbeReferralsFromIt() {
        String twoOrganizations =
                "Organization?_id=" + idPart(organizationOf(a)) + "," + idPart(organizationOf(b)) + "&_summary=count";
        assertThat(total(get(a, twoOrganizations))).as("partner A counts").isEqualTo(2);
        assertThat(total(staff(StaffRole.VIEWER, "GET", twoOrganizations)))
                .as("a viewer counts")
                .isEqualTo(2);
        assertThat(total(staff(StaffRole.COORDINATOR, "GET", twoOrganizations)))
                .as("a coordinator counts")
                .isEqualTo(2);
        assertThat(total(staff(StaffRole.INTEGRATOR, "GET", twoOrganizations)))
                .as("an integrator counts")
                .isEqualTo(2);
        // a count that could take in referral data through an include stays refused to a partner (by HAPI: 400)
        Answer includingReferrals = get(a, twoOrganizations + "&_revinclude=ServiceRequest:performer");
        assertThat(includingReferrals.status()).isEqualTo(400);
        assertThat(includingReferrals.body()).contains("_summary=count");
        noTraceOfB(includingReferrals);
        // a coordinator sees every referral, so counts them
        assertThat(total(staff(
                        StaffRole.COORDINATOR,
                        "GET",
                        "ServiceRequest?_id=" + idPart(bReferral.serviceRequest()) + ","
                                + idPart(aReferral.serviceRequest()) + "&_summary=count")))
                .isEqualTo(2);

        // from the directory a viewer could still ask whether a referral exists: refused, audited, nothing told
        String probe = "Organization?_has:ServiceRequest:performer:identifier=" + enc(bPlacer);
        int before = audit().denials(VIEWER_USER).size();
        Answer answer = staff(StaffRole.VIEWER, "GET", probe);
        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.body()).contains("_has").contains("viewers");
        noTraceOfB(answer);
        assertThat(audit().denials(VIEWER_USER))
                .as("the viewer's denial audited")
                .hasSize(before + 1);
        assertThat(staff(StaffRole.COORDINATOR, "GET", probe).status())
                .as("a coordinator sees referrals anyway")
                .isEqualTo(200);
    }

    private static int total(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Bundle.class, answer.body()).getTotal();
    }

    @Test
    void aPartnerChangesItsOwnDirectoryDataOnly() {
        Organization own = (Organization)
                FHIR.newJsonParser().parseResource(get(a, organizationOf(a)).body());
        own.addAlias("A alias " + suffix);
        own.getMeta().setSource(null);
        Answer updated = send(a, "PUT", organizationOf(a), FHIR.newJsonParser().encodeResourceToString(own), null);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);

        Organization others = (Organization)
                FHIR.newJsonParser().parseResource(get(a, organizationOf(b)).body());
        others.addAlias("taken over");
        denied(() -> send(a, "PUT", organizationOf(b), FHIR.newJsonParser().encodeResourceToString(others), null), 403);

        String location = "{\"resourceType\":\"Location\",\"status\":\"active\",\"name\":\"A site " + suffix
                + "\",\"address\":{\"country\":\"SI\"},\"managingOrganization\":{\"reference\":\"" + organizationOf(a)
                + "\"}}";
        Answer created = send(a, "POST", "Location", location, null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains(CbhCanonical.BASE + "/partner/" + a + "/fhir");
    }

    @Test
    void theReceiverUpdatesTheTaskAndTheLabelsStay() {
        Task task = (Task)
                FHIR.newJsonParser().parseResource(get(c, bReferral.task()).body());
        task.setMeta(null);
        task.getBusinessStatus().getCodingFirstRep().setCode("received");
        task.setStatus(ReferralStateMachine.taskStatus("received"));
        Answer byA = denied(
                () -> send(a, "PUT", bReferral.task(), FHIR.newJsonParser().encodeResourceToString(task), null),
                404,
                bReferral.task());
        assertThat(byA.body()).doesNotContain("received");
        Answer byC = send(c, "PUT", bReferral.task(), FHIR.newJsonParser().encodeResourceToString(task), null);
        assertThat(byC.status()).as(byC.body()).isEqualTo(200);
        Task now = (Task)
                FHIR.newJsonParser().parseResource(get(b, bReferral.task()).body());
        assertThat(now.getMeta().getVersionId()).isEqualTo("2");
        assertThat(now.getMeta().getSecurity())
                .extracting(s -> s.getSystem() + "|" + s.getCode())
                .contains(CbhCanonical.CS_REFERRAL_ACCESS + "|" + b, CbhCanonical.CS_REFERRAL_ACCESS + "|" + c);
        denied(() -> get(a, bReferral.task()), 404, bReferral.task());
        // the write has its Provenance, with C's Organization as author
        Answer provenance = staff(StaffRole.COORDINATOR, "GET", "Provenance?target=" + bReferral.task());
        assertThat(provenance.body()).contains(bReferral.task() + "/_history/2").contains(organizationOf(c));
    }

    @Test
    void everyResourceOfAStoredReferralHasAProvenance() {
        for (Referral referral : List.of(aReferral, bReferral)) {
            for (String id : referral.all()) {
                Bundle found = FHIR.newJsonParser()
                        .parseResource(
                                Bundle.class,
                                staff(StaffRole.COORDINATOR, "GET", "Provenance?target=" + id)
                                        .body());
                assertThat(found.getEntry()).as("Provenance of %s", id).isNotEmpty();
            }
        }
    }

    // ---- helpers ----

    /** One attempt by A: the status expected, nothing of B in the answer, one more denial audited for A. */
    private Answer denied(Supplier<Answer> request, int status) {
        return denied(request, status, null);
    }

    private Answer denied(Supplier<Answer> request, int status, String askedFor) {
        Answer answer = attempt(request, true);
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        noTraceOfB(
                askedFor == null
                        ? answer
                        : new Answer(answer.status(), answer.body().replace(askedFor, "")));
        return answer;
    }

    /** A search that found B's data and withheld it: an empty bundle, and a denial audited. */
    private Answer empty(Supplier<Answer> request) {
        Answer answer = withheld(request);
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, answer.body());
        assertThat(bundle.getEntry()).isEmpty();
        return answer;
    }

    /** A search or history that met B's data: answered without it, and a denial audited. */
    private Answer withheld(Supplier<Answer> request) {
        Answer answer = attempt(request, true);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        noTraceOfB(answer);
        return answer;
    }

    /** Runs A's attempt and checks that it added one denial of A to the audit trail (at least one, if not exact). */
    private Answer attempt(Supplier<Answer> request, boolean exactlyOne) {
        int before = audit().denials(a).size();
        Answer answer = request.get();
        int after = audit().denials(a).size();
        if (exactlyOne) {
            assertThat(after).as("denials of A audited").isEqualTo(before + 1);
        } else {
            assertThat(after).as("denials of A audited").isGreaterThan(before);
        }
        return answer;
    }

    private void noTraceOfB(Answer answer) {
        // what only echoes A's own request is left out: Bundle links (the request URL) and "Resource X is not known"
        String body = answer.body()
                .replaceAll("\"link\":\\[[^\\]]*\\]", "")
                .replaceAll("HAPI-1995: Resource [^ \"]+ is not known", "");
        answer = new Answer(answer.status(), body);
        assertThat(answer.body()).doesNotContain(bPlacer).doesNotContain(bEgn).doesNotContain(bFamily);
        for (String id : bReferral.all()) {
            String type = id.substring(0, id.indexOf('/'));
            assertThat(answer.body())
                    .doesNotContain("\"" + id + "\"")
                    .doesNotContain(id + "/")
                    .doesNotContain("\"resourceType\":\"" + type + "\",\"id\":\"" + idPart(id) + "\"");
        }
    }

    private Answer get(String partner, String path) {
        return send(partner, "GET", path, null, null);
    }

    private Answer send(String partner, String method, String path, String body, String header, String value) {
        return call(partnerAuthorization(partner), method, path, body, header, value);
    }

    private Answer send(String partner, String method, String path, String body, String ignored) {
        return call(partnerAuthorization(partner), method, path, body, null, null);
    }

    private Answer staff(StaffRole role, String method, String path) {
        return call(staffAuthorization(role), method, path, null, null, null);
    }

    private Answer call(String[] authorization, String method, String path, String body, String header, String value) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fhirBase() + "/" + path))
                .header("Accept", "application/fhir+json")
                .header(authorization[0], authorization[1])
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/fhir+json");
        }
        if (header != null) {
            request.header(header, value);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        }
    }

    /** A partner system's header: its Bearer token from the hub's token endpoint (signed client assertion). */
    private String[] partnerAuthorization(String partner) {
        return new String[] {"Authorization", HttpAuth.bearer(partnerAccessToken(partner))};
    }

    /** A staff member's header: HTTP Basic with the test account of the role. */
    private String[] staffAuthorization(StaffRole role) {
        return new String[] {"Authorization", HttpAuth.basic(staffUser(role), staffPassword(role))};
    }

    private Referral stored(String partner, String placer) {
        Bundle tasks = FHIR.newJsonParser()
                .parseResource(
                        Bundle.class,
                        staff(
                                        StaffRole.COORDINATOR,
                                        "GET",
                                        "Task?identifier="
                                                + enc(CbhCanonical.partnerIdentifierSystem(partner, "referral-task")
                                                        + "|" + placer)
                                                + "&_include=Task:focus&_include=Task:patient")
                                .body());
        List<String> all = new ArrayList<>();
        String task = null;
        String serviceRequest = null;
        String patient = null;
        for (Bundle.BundleEntryComponent entry : tasks.getEntry()) {
            Resource resource = entry.getResource();
            String id = resource.getIdElement().toUnqualifiedVersionless().getValue();
            switch (resource.fhirType()) {
                case "Task" -> task = id;
                case "ServiceRequest" -> serviceRequest = id;
                case "Patient" -> patient = id;
                default -> {}
            }
        }
        assertThat(task).as("Task of " + placer).isNotNull();
        Bundle others = FHIR.newJsonParser()
                .parseResource(
                        Bundle.class,
                        staff(StaffRole.COORDINATOR, "GET", "Condition?subject=" + patient + "&_count=50")
                                .body());
        all.add(task);
        all.add(serviceRequest);
        all.add(patient);
        others.getEntry()
                .forEach(e -> all.add(e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue()));
        return new Referral(task, serviceRequest, patient, List.copyOf(all));
    }

    private String organizationOf(String partner) {
        String value = partner.equals(c) ? cRegistryNumber : partner;
        Bundle found = FHIR.newJsonParser()
                .parseResource(
                        Bundle.class,
                        staff(
                                        StaffRole.VIEWER,
                                        "GET",
                                        "Organization?identifier=" + enc("urn:oid:1.3.6.1.4.1.58762.1.1|" + value))
                                .body());
        assertThat(found.getEntry()).as("Organization of " + partner).hasSize(1);
        return found.getEntry()
                .get(0)
                .getResource()
                .getIdElement()
                .toUnqualifiedVersionless()
                .getValue();
    }

    /** The sample referral, sent in the name of {@code sender} (MSH-4 is bound to the sender's connection). */
    private String referral(String sender, String placer, String egn, String family) {
        return Samples.hl7From("referral/ref-i12-bg-to-mk.hl7", sender)
                .replace("BG-REF-000123", placer)
                .replace("4068491", cRegistryNumber)
                .replace("7501024918", egn)
                .replace("Иванова", family);
    }

    /** A valid Bulgarian EGN (birth date 1975-01-02) of its own for this run. */
    private String egn(int n) {
        String base = "750102" + String.format("%03d", (Math.abs(suffix.hashCode()) + n * 7) % 1000);
        int[] weights = {2, 4, 8, 5, 10, 9, 7, 3, 6};
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (base.charAt(i) - '0') * weights[i];
        }
        int check = sum % 11;
        return base + (check == 10 ? 0 : check);
    }

    private static String idPart(String id) {
        return id.substring(id.indexOf('/') + 1);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
