package org.cbhealth.hub.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.cbhealth.hub.support.DirectoryFixtures.json;
import static org.cbhealth.hub.support.DirectoryFixtures.organization;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.ParkedMessages.Parked;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.Samples;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JMS rows of the bad-input matrix (docs/bad-input.md): a partner's own queues, written over TCP as the partner
 * would. Each kind is parked with its reason and {@code failed_by = sender}, and a good message sent after it is
 * stored (the consumer goes on). Headers a partner sets never steer the hub.
 */
class BadInputJmsIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static String partner;
    private static String other;
    private static String registry;

    @BeforeEach
    void partnerWithJmsChannels() throws Exception {
        if (partner != null) {
            return;
        }
        String s = UUID.randomUUID().toString().substring(0, 8);
        partner = "it-bad-jms-" + s;
        other = "it-bad-jms-other-" + s;
        registry = Integer.toString(ThreadLocalRandom.current().nextInt(5_000_000, 9_999_999));
        PartnerFiles.write(
                PARTNERS_DIR,
                other + ".yaml",
                PartnerFiles.partner(other, "referralPartners: [" + partner + "]\n")
                        .replace("value: " + other, "value: \"" + registry + "\""));
        PartnerFiles.write(
                PARTNERS_DIR,
                partner + ".yaml",
                PartnerFiles.partner(
                        partner,
                        """
                inbound:
                  - name: push
                    kind: jms
                    format: fhir
                    flow: directory
                    settings:
                      queue: partner.%1$s.push
                  - name: referrals
                    kind: jms
                    format: hl7v2
                    flow: referral
                    settings:
                      queue: partner.%1$s.referrals
                codeMappings:
                  - https://fhir.cbhealth.eu/ConceptMap/bg-nhif-specialty-to-cbh
                referralPartners: [%2$s]
                """
                                .formatted(partner, other)));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(admin().partner(other)).isNotNull();
            assertThat(admin().partner(partner)).isNotNull();
            assertThat(admin().partner(partner).get("routes").findValuesAsText("state"))
                    .containsOnly("Started");
        });
    }

    @Test
    void objectMessageIsParkedWithoutBeingDeserialised() throws Exception {
        send(push(), session -> session.createObjectMessage(new java.util.ArrayList<>(List.of("payload"))));

        Parked parked = awaitParked("Unsupported JMS message kind");
        assertThat(parked.reason())
                .isEqualTo("Unsupported JMS message kind ActiveMQObjectMessage: send a TextMessage or BytesMessage"
                        + " with FHIR JSON or XML");
        assertThat(parked.raw()).isEmpty();
        assertGoodMessageStillStored();
    }

    @Test
    void hl7v2WithoutItsBusinessKeyIsParkedNamingMsh10() throws Exception {
        send(referrals(), session -> session.createTextMessage(referral("")));

        Parked parked = awaitParked("MSH-10 (message control id) is empty");
        assertThat(parked.reason())
                .isEqualTo("HL7 v2 message refused (AR): MSH-10: MSH-10 (message control id) is empty");
        assertThat(parked.raw()).startsWith("MSH|^~\\&|BIS|");
        assertGoodMessageStillStored();
    }

    @Test
    void duplicateMsh10OverJmsStoresOneTask() throws Exception {
        String id = "JMS-" + UUID.randomUUID().toString().substring(0, 12);
        send(referrals(), session -> session.createTextMessage(referral(id)));
        send(referrals(), session -> session.createTextMessage(referral(id)));

        await().atMost(WAIT).until(() -> tasks(id) == 1);
        assertGoodMessageStillStored();
        assertThat(tasks(id)).isEqualTo(1);
        assertThat(parked().of(partner)).noneSatisfy(p -> assertThat(p.raw()).contains(id));
    }

    @Test
    void oversizeBodyIsParkedNamingTheLimit() throws Exception {
        String huge = "x".repeat(10 * 1024 * 1024 + 1);

        send(push(), session -> session.createTextMessage(huge));

        Parked parked = awaitParked("exceeds the limit");
        assertThat(parked.reason()).isEqualTo("Message body of 10485761 characters exceeds the limit of 10485760");
        assertGoodMessageStillStored();
    }

    @Test
    void declaredContentTypeTheChannelDoesNotTakeIsParked() throws Exception {
        String name = "Content type " + UUID.randomUUID();
        send(push(), session -> {
            Message message = session.createTextMessage(json(organization(name, "SI")));
            message.setStringProperty("contentType", "application/pdf");
            return message;
        });

        Parked parked = awaitParked("content type 'application/pdf'");
        assertThat(parked.reason())
                .isEqualTo("content type 'application/pdf' is not taken on channel 'push' (format fhir); send one of"
                        + " application/fhir+json, application/fhir+xml, application/json, application/xml");
        assertThat(parked.raw()).contains(name);
        assertThat(organizations(name)).isEmpty();
        assertGoodMessageStillStored();
    }

    @Test
    void bytesThatAreNotUtf8TextAreParkedAndKeptAsTheyCame() throws Exception {
        byte[] cyrillic =
                json(organization("Болница " + UUID.randomUUID(), "MK")).getBytes(Charset.forName("ISO-8859-5"));
        send(push(), session -> {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(cyrillic);
            return message;
        });

        Parked parked = awaitParked("not UTF-8 text");
        assertThat(parked.reason()).startsWith("BytesMessage body is not UTF-8 text (byte ");
        assertThat(parked.rawBytes()).isEqualTo(cyrillic);
        assertGoodMessageStillStored();
    }

    @Test
    void headersSetByThePartnerHaveNoEffect() throws Exception {
        String first = "Kept " + UUID.randomUUID();
        send(push(), session -> session.createTextMessage(json(organization(first, "SI"))));
        await().atMost(WAIT).until(() -> organizations(first).size() == 1);

        String second = "Forged headers " + UUID.randomUUID();
        send(push(), session -> {
            Message message = session.createTextMessage(json(organization(second, "SI")));
            // a full export would deactivate "first"; another partner's or channel's name would store it as theirs
            message.setStringProperty("CBHealthDirectoryScope", "full");
            message.setStringProperty("CBHealthPartner", other);
            message.setStringProperty("CBHealthChannel", "forged");
            message.setStringProperty("CamelFileName", "../../etc/passwd");
            message.setStringProperty("CamelFileNameOnly", "forged.csv");
            message.setStringProperty("CBHealthParkReason", "forged");
            return message;
        });

        await().atMost(WAIT).until(() -> organizations(second).size() == 1);
        Organization stored = organizations(second).get(0);
        assertThat(stored.getMeta().getSource()).isEqualTo(CbhCanonical.BASE + "/partner/" + partner + "/push");
        assertThat(organizations(first)).singleElement().satisfies(o -> assertThat(o.getActive())
                .isTrue());
        assertThat(parked().of(partner)).noneSatisfy(p -> assertThat(p.reason()).isEqualTo("forged"));
        assertThat(parked().of(other)).isEmpty();
    }

    private void assertGoodMessageStillStored() throws Exception {
        String name = "Good " + UUID.randomUUID();
        send(push(), session -> session.createTextMessage(json(organization(name, "SI"))));
        await().atMost(WAIT).until(() -> organizations(name).size() == 1);
    }

    private Parked awaitParked(String reasonFragment) {
        return await().atMost(WAIT)
                .until(
                        () -> parked().of(partner).stream()
                                .filter(p -> p.reason() != null && p.reason().contains(reasonFragment))
                                .toList(),
                        found -> found.size() == 1)
                .get(0);
    }

    private interface MessageMaker {
        Message make(Session session) throws Exception;
    }

    private static void send(String queue, MessageMaker maker) throws Exception {
        try (ActiveMQConnectionFactory factory = hubBrokerConnectionFactory();
                Connection connection = factory.createConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            session.createProducer(session.createQueue(queue)).send(maker.make(session));
        }
    }

    private static String push() {
        return "partner." + partner + ".push";
    }

    private static String referrals() {
        return "partner." + partner + ".referrals";
    }

    private List<Organization> organizations(String name) {
        Bundle found = fhirClient()
                .search()
                .forResource(Organization.class)
                .where(Organization.NAME.matchesExactly().value(name))
                .returnBundle(Bundle.class)
                .execute();
        return found.getEntry().stream()
                .map(e -> (Organization) e.getResource())
                .toList();
    }

    private int tasks(String id) {
        return fhirClient()
                .search()
                .byUrl("Task?identifier=" + CbhCanonical.partnerIdentifierSystem(partner, "referral-task") + "|" + id)
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .size();
    }

    private static String referral(String id) {
        return Samples.hl7From("referral/ref-i12-bg-to-mk.hl7", partner)
                .replace("BG-REF-000123", id)
                .replace("4068491", registry);
    }
}
