package org.cbhealth.bench.referral;

import java.io.IOException;
import java.nio.file.Path;
import org.cbhealth.bench.partner.PartnerCredentials;

/**
 * The two partners of the benchmark, as partner files in the hub's format (README, "Partners"): a Bulgarian sender
 * whose hospital system sends REF^I12 on three inbound channels (MLLP, REST and its own JMS queue, all format
 * {@code hl7v2}, flow {@code referral}, so the channels differ only in transport), and a North Macedonian receiver that takes its referrals from a JMS
 * queue. The receiver carries the registry identifier the sample's referred-to PRD names (EMBS 4068491), and each
 * lists the other in {@code referralPartners}, so the hub accepts and routes the sample between them. Each names its
 * run's secret file (its broker password) and public keys (its client assertions) from {@link PartnerCredentials}.
 *
 * @param senderMllpPort the port of the sender's MLLP channel on the hub
 * @param sender the sender's key pair and broker secret
 * @param receiver the receiver's key pair and broker secret
 */
public record BenchPartners(int senderMllpPort, PartnerCredentials sender, PartnerCredentials receiver) {

    public static final String SENDER = "bench-sender";
    public static final String RECEIVER = "bench-receiver";
    /** Where the hub delivers the receiver's referrals; the load generator consumes it. */
    public static final String RECEIVER_QUEUE = "bench.receiver.referrals";
    /** The sender's inbound JMS queue on the hub's broker. */
    public static final String SENDER_JMS_QUEUE = "bench.sender.referrals";
    /** Where the hub would send status notices to the sender; the benchmark sends no status, so it stays empty. */
    public static final String SENDER_QUEUE = "bench.sender.notices";

    /** New credentials for both partners, their secret files under {@code secretsDir}. */
    public static BenchPartners generate(int senderMllpPort, Path secretsDir) throws IOException {
        return new BenchPartners(
                senderMllpPort,
                PartnerCredentials.generate(SENDER, secretsDir),
                PartnerCredentials.generate(RECEIVER, secretsDir));
    }

    public String senderYaml() {
        return """
                # Benchmark sender: a Bulgarian hospital system sending REF^I12 over MLLP, REST and JMS.
                id: %s
                names:
                  bg: Болница за натоварващ тест
                  en: Benchmark sender hospital
                country: BG
                identifiers:
                  - system: https://fhir.cbhealth.eu/sid/registry/bg-eik
                    value: "101004535"
                %sinbound:
                  - name: referrals
                    kind: mllp
                    format: hl7v2
                    flow: referral
                    settings:
                      host: 127.0.0.1
                      port: %d
                  - name: %s
                    kind: rest
                    format: hl7v2
                    flow: referral
                  - name: %s
                    kind: jms
                    format: hl7v2
                    flow: referral
                    settings:
                      queue: %s
                outbound:
                  kind: jms
                  settings:
                    queue: %s
                codeMappings:
                  - https://fhir.cbhealth.eu/ConceptMap/bg-nhif-specialty-to-cbh
                referralPartners: [%s]
                """
                .formatted(
                        SENDER,
                        sender.yaml(),
                        senderMllpPort,
                        Channel.REST.channelName,
                        Channel.JMS.channelName,
                        SENDER_JMS_QUEUE,
                        SENDER_QUEUE,
                        RECEIVER);
    }

    public String receiverYaml() {
        return """
                # Benchmark receiver: a North Macedonian hospital taking its referrals from a JMS queue.
                id: %s
                names:
                  mk: Болница за тест на оптоварување
                  en: Benchmark receiver hospital
                country: MK
                identifiers:
                  - system: https://fhir.cbhealth.eu/sid/registry/mk-embs
                    value: "4068491"
                %soutbound:
                  kind: jms
                  settings:
                    queue: %s
                referralPartners: [%s]
                """
                .formatted(RECEIVER, receiver.yaml(), RECEIVER_QUEUE, SENDER);
    }

    /** Writes both files into the partner directory, each complete before it appears (the hub hot-reloads it). */
    public void writeTo(Path directory) throws IOException {
        PartnerCredentials.writePartnerFile(directory, SENDER + ".yaml", senderYaml());
        PartnerCredentials.writePartnerFile(directory, RECEIVER + ".yaml", receiverYaml());
    }
}
