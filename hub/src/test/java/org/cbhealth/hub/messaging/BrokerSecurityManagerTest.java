package org.cbhealth.hub.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.security.CheckType;
import org.cbhealth.hub.audit.HubAudit;
import org.cbhealth.hub.partner.PartnerDefinition;
import org.cbhealth.hub.partner.PartnerDefinition.ChannelKind;
import org.cbhealth.hub.partner.PartnerDefinition.Credentials;
import org.cbhealth.hub.partner.PartnerDefinition.Flow;
import org.cbhealth.hub.partner.PartnerDefinition.InboundChannel;
import org.cbhealth.hub.partner.PartnerDefinition.MessageFormat;
import org.cbhealth.hub.partner.PartnerDefinition.OutboundChannel;
import org.cbhealth.hub.partner.PartnerDefinition.OutboundKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerSecurityManagerTest {

    @TempDir
    Path dir;

    private final List<HubAudit.Denial> denials = new CopyOnWriteArrayList<>();
    private BrokerSecurityManager security;
    private Path secretA;
    private PartnerDefinition a;
    private PartnerDefinition b;
    private PartnerDefinition noSecret;

    @BeforeEach
    void partners() throws Exception {
        secretA = dir.resolve("a.secret");
        Files.writeString(secretA, "first-secret\n");
        a = partner("a", new Credentials(null, secretA.toString()));
        b = partner("b", new Credentials(null, dir.resolve("b.secret").toString()));
        noSecret = partner("c", new Credentials("CBHEALTH_UNSET_VARIABLE_FOR_TEST_" + System.nanoTime(), null));
        Map<String, PartnerDefinition> byId = Map.of("a", a, "b", b, "c", noSecret);
        security = new BrokerSecurityManager("hub-secret");
        security.attach(id -> Optional.ofNullable(byId.get(id)), new HubAudit() {
            @Override
            public void exchange(Exchange exchange) {}

            @Override
            public void denied(Denial denial) {
                denials.add(denial);
            }
        });
    }

    @AfterEach
    void close() throws InterruptedException {
        security.close();
    }

    private static PartnerDefinition partner(String id, Credentials credentials) {
        return new PartnerDefinition(
                id,
                Map.of("en", id),
                "SI",
                List.of(),
                credentials,
                List.of(
                        new InboundChannel(
                                "directory",
                                ChannelKind.JMS,
                                MessageFormat.FHIR,
                                Flow.DIRECTORY,
                                Map.of("queue", "partner." + id + ".in")),
                        new InboundChannel("push", ChannelKind.REST, MessageFormat.FHIR, Flow.DIRECTORY, Map.of())),
                new OutboundChannel(OutboundKind.JMS, Map.of("queue", "partner." + id + ".out")),
                List.of(),
                List.of(),
                null);
    }

    @Test
    void aPartnerSendsToItsInboundQueuesAndConsumesAndBrowsesItsOutboundQueueOnly() {
        assertThat(BrokerSecurityManager.allowed(a, CheckType.SEND, "partner.a.in"))
                .isTrue();
        assertThat(BrokerSecurityManager.allowed(a, CheckType.SEND, "partner.a.in::partner.a.in"))
                .isTrue();
        assertThat(BrokerSecurityManager.allowed(a, CheckType.CREATE_ADDRESS, "partner.a.in"))
                .isTrue();
        assertThat(BrokerSecurityManager.allowed(a, CheckType.CREATE_DURABLE_QUEUE, "partner.a.in"))
                .isTrue();
        assertThat(BrokerSecurityManager.allowed(a, CheckType.CONSUME, "partner.a.out::partner.a.out"))
                .isTrue();
        assertThat(BrokerSecurityManager.allowed(a, CheckType.BROWSE, "partner.a.out"))
                .isTrue();

        assertThat(BrokerSecurityManager.allowed(a, CheckType.SEND, "partner.b.in"))
                .isFalse();
        assertThat(BrokerSecurityManager.allowed(a, CheckType.CONSUME, "partner.b.out"))
                .isFalse();
        assertThat(BrokerSecurityManager.allowed(a, CheckType.BROWSE, "partner.b.out"))
                .isFalse();
        assertThat(BrokerSecurityManager.allowed(a, CheckType.CONSUME, "partner.a.in"))
                .isFalse();
        assertThat(BrokerSecurityManager.allowed(a, CheckType.SEND, "partner.a.out"))
                .isFalse();
        // another queue bound to its own address
        assertThat(BrokerSecurityManager.allowed(a, CheckType.CONSUME, "partner.a.out::spy"))
                .isFalse();
        assertThat(BrokerSecurityManager.allowed(a, CheckType.CREATE_NON_DURABLE_QUEUE, "partner.a.out"))
                .isFalse();
        assertThat(BrokerSecurityManager.allowed(a, CheckType.DELETE_DURABLE_QUEUE, "partner.a.out"))
                .isFalse();
        assertThat(BrokerSecurityManager.allowed(a, CheckType.MANAGE, "activemq.management"))
                .isFalse();
        for (String hubQueue : List.of("hub.outbound.a", "hub.inbound.fhir", "hub.parked", "DLQ", "ExpiryQueue")) {
            for (CheckType type : CheckType.values()) {
                assertThat(BrokerSecurityManager.allowed(a, type, hubQueue))
                        .as(type + " " + hubQueue)
                        .isFalse();
            }
        }
    }

    @Test
    void theHubUserMayDoEverythingWithItsPasswordOnly() {
        Subject hub = security.authenticate(BrokerSecurityManager.HUB_USER, "hub-secret", null, null);
        assertThat(hub).isNotNull();
        assertThat(security.authorize(hub, Set.of(), CheckType.CONSUME, "hub.parked"))
                .isTrue();
        assertThat(security.authorize(hub, Set.of(), CheckType.SEND, "partner.b.out"))
                .isTrue();

        assertThat(security.authenticate(BrokerSecurityManager.HUB_USER, "hub-secret ", null, null))
                .isNull();
        assertThat(security.authenticate(BrokerSecurityManager.HUB_USER, null, null, null))
                .isNull();
    }

    @Test
    void aPartnerLogsInWithItsSecretReadAtEachLoginAndEveryRefusalIsAudited() throws Exception {
        Subject subject = security.authenticate("a", "first-secret", null, null);
        assertThat(subject).isNotNull();
        assertThat(security.getUserFromSubject(subject)).isEqualTo("a");
        assertThat(security.authorize(subject, Set.of(), CheckType.SEND, "partner.a.in"))
                .isTrue();
        assertThat(security.authorize(subject, Set.of(), CheckType.SEND, "partner.b.in"))
                .isFalse();
        assertThat(security.authorize(subject, Set.of(), CheckType.CONSUME, "DLQ::DLQ"))
                .isFalse();

        // rotation: the new secret applies at the next login, the old one no longer does
        Files.writeString(secretA, "second-secret");
        assertThat(security.authenticate("a", "first-secret", null, null)).isNull();
        assertThat(security.authenticate("a", "second-secret", null, null)).isNotNull();

        assertThat(security.authenticate("b", "anything", null, null))
                .as("secret file missing")
                .isNull();
        assertThat(security.authenticate("c", "", null, null))
                .as("variable unset")
                .isNull();
        assertThat(security.authenticate("stranger", "x", null, null)).isNull();
        assertThat(security.authenticate(null, null, null, null)).isNull();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(denials)
                .extracting(d -> d.partnerId() + " " + d.action() + " " + d.target() + " " + d.channel())
                .containsExactly(
                        "a send partner.b.in broker",
                        "a consume DLQ broker",
                        "a connect a broker",
                        "b connect b broker",
                        "c connect c broker",
                        "null connect stranger broker",
                        "null connect (anonymous) broker"));
        assertThat(denials).allSatisfy(d -> assertThat(d.reason()).isNotBlank());
    }

    @Test
    void anExternalBrokersPermissionsGrantTheSameAndKeepTheHubsQueuesToTheHub() {
        List<String> lines = BrokerSecurityCommand.securityRoles(List.of(b, a), "amq");

        assertThat(lines)
                .contains(
                        "securityRoles.\"hub.#\".\"amq\".consume=true",
                        "securityRoles.\"DLQ\".\"amq\".consume=true",
                        "securityRoles.\"partner.a.in\".\"amq\".consume=true",
                        "securityRoles.\"partner.a.in\".\"a\".send=true",
                        "securityRoles.\"partner.a.in\".\"a\".createDurableQueue=true",
                        "securityRoles.\"partner.a.out\".\"a\".consume=true",
                        "securityRoles.\"partner.a.out\".\"a\".browse=true",
                        "securityRoles.\"partner.b.out\".\"b\".consume=true");
        assertThat(lines)
                .filteredOn(line -> !line.startsWith("#"))
                .noneMatch(line -> line.startsWith("securityRoles.\"hub.#\".\"a\"")
                        || line.equals("securityRoles.\"partner.a.in\".\"a\".consume=true")
                        || line.equals("securityRoles.\"partner.a.out\".\"a\".send=true")
                        || line.contains("\"partner.b.") && line.contains(".\"a\"."));
    }
}
