package org.cbhealth.hub.messaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.cbhealth.hub.audit.HubAudit;
import org.cbhealth.hub.audit.HubAudit.Denial;
import org.cbhealth.hub.partner.PartnerDefinition;
import org.cbhealth.hub.partner.PartnerDefinition.ChannelKind;
import org.cbhealth.hub.partner.PartnerDefinition.Credentials;
import org.cbhealth.hub.partner.PartnerDefinition.OutboundKind;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect to the embedded broker and what each may do there. The hub itself ({@value #HUB_USER}) may do
 * everything. A partner connects with its id as user name and its secret (the partner file's {@code credentials},
 * read at each login so a rotated secret applies at once) as password, and may only send to the queues of its own
 * inbound {@code jms} channels and consume or browse the queue of its own outbound {@code jms} channel (and have
 * the broker create those queues). Rights are read from the live {@link PartnerRegistry}, so a changed partner file
 * applies within the broker's security cache interval. Every refusal is audited; the audit records are written on
 * a thread of their own so a broker thread never waits for the audit store.
 */
public class BrokerSecurityManager implements ActiveMQSecurityManager5 {

    /** The hub's own broker user. */
    public static final String HUB_USER = "cbhealth-hub";

    static final String CHANNEL = "broker";
    private static final String HUB_ROLE = "hub";
    private static final String PARTNER_ROLE = "partner";
    private static final Logger LOG = LoggerFactory.getLogger(BrokerSecurityManager.class);

    private final String hubPassword;
    private volatile Function<String, Optional<PartnerDefinition>> registry;
    private volatile HubAudit audit;
    private final ThreadPoolExecutor auditWriter;
    private final AtomicLong droppedAudits = new AtomicLong();

    public BrokerSecurityManager(String hubPassword) {
        this.hubPassword = hubPassword;
        // one writer, a bounded backlog: a client repeating a refused operation in a tight loop can neither block
        // a broker thread nor fill the memory; what does not fit is counted and logged
        this.auditWriter =
                new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000), runnable -> {
                    Thread thread = new Thread(runnable, "broker-audit");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Connects the security manager to the partners and the audit trail once the application runs; until then
     * only the hub may log in (the broker starts before the partner files are read).
     */
    public void attach(PartnerRegistry registry, HubAudit audit) {
        attach(registry::definition, audit);
    }

    /** {@link #attach(PartnerRegistry, HubAudit)} with the partners by id (a registry's {@code definition}). */
    void attach(Function<String, Optional<PartnerDefinition>> registry, HubAudit audit) {
        this.registry = registry;
        this.audit = audit;
    }

    /** The hub user's password (the hub's own connection factory logs in with it). */
    String hubPassword() {
        return hubPassword;
    }

    /** Stops the audit writer after writing what is queued (bounded). */
    public void close() throws InterruptedException {
        auditWriter.shutdown();
        auditWriter.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        String address = connection == null ? null : connection.getRemoteAddress();
        if (user == null || user.isEmpty()) {
            deny(null, "connect", "(anonymous)", "no user name given", address);
            return null;
        }
        if (HUB_USER.equals(user)) {
            if (matches(hubPassword, password)) {
                return subject(user, HUB_ROLE);
            }
            deny(null, "connect", HUB_USER, "wrong password for the hub user", address);
            return null;
        }
        Function<String, Optional<PartnerDefinition>> partners = registry;
        Optional<PartnerDefinition> partner = partners == null ? Optional.empty() : partners.apply(user);
        if (partner.isEmpty()) {
            deny(null, "connect", shortened(user), partners == null ? "the hub is starting" : "unknown user", address);
            return null;
        }
        Optional<String> secret = secret(partner.get());
        if (secret.isEmpty()) {
            deny(user, "connect", user, "the partner has no broker secret (credentials) or it cannot be read", address);
            return null;
        }
        if (!matches(secret.get(), password)) {
            deny(user, "connect", user, "wrong password", address);
            return null;
        }
        return subject(user, PARTNER_ROLE);
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        String user = getUserFromSubject(subject);
        if (user == null) {
            return false;
        }
        if (subject.getPrincipals(RolePrincipal.class).stream().anyMatch(r -> HUB_ROLE.equals(r.getName()))) {
            return true;
        }
        String action = action(checkType);
        String target = target(address);
        Function<String, Optional<PartnerDefinition>> partners = registry;
        Optional<PartnerDefinition> partner = partners == null ? Optional.empty() : partners.apply(user);
        if (partner.isEmpty()) {
            deny(user, action, target, "the partner is no longer configured", null);
            return false;
        }
        if (allowed(partner.get(), checkType, address)) {
            return true;
        }
        deny(user, action, target, "not a queue of this partner's jms channels for " + action, null);
        return false;
    }

    /**
     * Whether a partner may do {@code checkType} on {@code address} (a plain address or a fully qualified queue
     * name {@code address::queue}; the partners' queues are anycast queues named like their address).
     */
    static boolean allowed(PartnerDefinition partner, CheckType checkType, String address) {
        if (address == null) {
            return false;
        }
        int separator = address.indexOf("::");
        String name = separator < 0 ? address : address.substring(0, separator);
        if (separator >= 0 && !address.substring(separator + 2).equals(name)) {
            return false;
        }
        Set<String> inbound = inboundQueues(partner);
        Set<String> outbound = outboundQueues(partner);
        return switch (checkType) {
            case SEND -> inbound.contains(name);
            case CONSUME, BROWSE -> outbound.contains(name);
                // the broker auto-creates a queue at the first send or consumer: only the partner's own ones
            case CREATE_ADDRESS, CREATE_DURABLE_QUEUE -> inbound.contains(name) || outbound.contains(name);
            default -> false;
        };
    }

    /** The queue's name for the audit record: {@code q} for the fully qualified {@code q::q} of an anycast queue. */
    static String target(String address) {
        if (address == null) {
            return "(none)";
        }
        int separator = address.indexOf("::");
        return separator >= 0 && address.substring(separator + 2).equals(address.substring(0, separator))
                ? address.substring(0, separator)
                : address;
    }

    static Set<String> inboundQueues(PartnerDefinition partner) {
        Set<String> queues = new HashSet<>();
        if (partner.inbound() != null) {
            partner.inbound().stream()
                    .filter(channel -> channel.kind() == ChannelKind.JMS)
                    .map(channel -> queue(channel.settings()))
                    .flatMap(Optional::stream)
                    .forEach(queues::add);
        }
        return queues;
    }

    static Set<String> outboundQueues(PartnerDefinition partner) {
        if (partner.outbound() == null || partner.outbound().kind() != OutboundKind.JMS) {
            return Set.of();
        }
        return queue(partner.outbound().settings()).map(Set::of).orElse(Set.of());
    }

    private static Optional<String> queue(Map<String, Object> settings) {
        return Optional.ofNullable(settings)
                .map(s -> s.get("queue"))
                .map(String::valueOf)
                .filter(q -> !q.isBlank());
    }

    /** The partner's broker password, read now (rotation applies at the next login). */
    static Optional<String> secret(PartnerDefinition partner) {
        Credentials credentials = partner.credentials();
        if (credentials == null) {
            return Optional.empty();
        }
        try {
            String value = credentials.env() != null
                    ? System.getenv(credentials.env())
                    : Files.readString(Path.of(credentials.file()), StandardCharsets.UTF_8);
            // a secret file usually ends with a line break that is not part of the secret
            return Optional.ofNullable(value).map(String::strip).filter(s -> !s.isEmpty());
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Partner {}: its broker secret cannot be read: {}",
                    partner.id(),
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** Compares in constant time (digests of equal length, so not even the length leaks). */
    static boolean matches(String expected, String given) {
        if (expected == null || expected.isEmpty() || given == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(expected), sha256(given));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Subject subject(String user, String role) {
        Set<Principal> principals = Set.of(new UserPrincipal(user), new RolePrincipal(role));
        return new Subject(true, principals, Set.of(), Set.of());
    }

    static String action(CheckType checkType) {
        return switch (checkType) {
            case CREATE_DURABLE_QUEUE, CREATE_NON_DURABLE_QUEUE -> "create-queue";
            case DELETE_DURABLE_QUEUE, DELETE_NON_DURABLE_QUEUE -> "delete-queue";
            default -> checkType.name().toLowerCase(Locale.ROOT).replace('_', '-');
        };
    }

    /** A user name as typed by a client: bounded, for the audit record. */
    private static String shortened(String user) {
        return user.length() <= 64 ? user : user.substring(0, 64) + "...";
    }

    private void deny(String partnerId, String action, String target, String reason, String address) {
        LOG.info("Broker refused {} on {} for {}: {}", action, target, partnerId == null ? "-" : partnerId, reason);
        HubAudit trail = audit;
        if (trail == null) {
            return;
        }
        Denial denial = new Denial(partnerId, null, CHANNEL, action, target, reason, address);
        try {
            auditWriter.execute(() -> {
                try {
                    trail.denied(denial);
                } catch (RuntimeException e) {
                    LOG.warn("Broker refusal could not be audited: {}", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            long dropped = droppedAudits.incrementAndGet();
            if (dropped == 1 || dropped % 1000 == 0) {
                LOG.warn("Broker refusals arrive faster than they can be audited; {} not audited so far", dropped);
            }
        }
    }

    @Override
    public boolean validateUser(String user, String password) {
        // Artemis calls authenticate(...) of an ActiveMQSecurityManager5; this older entry point is not used
        return authenticate(user, password, null, null) != null;
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        return false;
    }
}
