package org.cbhealth.bench.referral;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The two partners of the benchmark, as partner files in the hub's format (README, "Partners"): a Bulgarian sender
 * whose hospital system sends REF^I12 on three inbound channels (MLLP, REST and its own JMS queue, all format
 * {@code hl7v2}, flow {@code referral}, so the channels differ only in transport), and a North Macedonian receiver that takes its referrals from a JMS
 * queue. The receiver carries the registry identifier the sample's referred-to PRD names (EMBS 4068491), and each
 * lists the other in {@code referralPartners}, so the hub accepts and routes the sample between them.
 *
 * @param senderMllpPort the port of the sender's MLLP channel on the hub
 */
public record BenchPartners(int senderMllpPort) {

    public static final String SENDER = "bench-sender";
    public static final String RECEIVER = "bench-receiver";
    /** Where the hub delivers the receiver's referrals; the load generator consumes it. */
    public static final String RECEIVER_QUEUE = "bench.receiver.referrals";
    /** The sender's inbound JMS queue on the hub's broker. */
    public static final String SENDER_JMS_QUEUE = "bench.sender.referrals";
    /** Where the hub would send status notices to the sender; the benchmark sends no status, so it stays empty. */
    public static final String SENDER_QUEUE = "bench.sender.notices";
    /** The environment variables the partner files name for the partners' secrets. */
    public static final String SENDER_SECRET_ENV = "CBHEALTH_PARTNER_BENCH_SENDER_SECRET";

    public static final String RECEIVER_SECRET_ENV = "CBHEALTH_PARTNER_BENCH_RECEIVER_SECRET";

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
                credentials:
                  env: %s
                inbound:
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
                        SENDER_SECRET_ENV,
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
                credentials:
                  env: %s
                outbound:
                  kind: jms
                  settings:
                    queue: %s
                referralPartners: [%s]
                """
                .formatted(RECEIVER, RECEIVER_SECRET_ENV, RECEIVER_QUEUE, SENDER);
    }

    /** Writes both files into the partner directory, each complete before it appears (the hub hot-reloads it). */
    public void writeTo(Path directory) throws IOException {
        write(directory, SENDER + ".yaml", senderYaml());
        write(directory, RECEIVER + ".yaml", receiverYaml());
    }

    private static void write(Path directory, String name, String yaml) throws IOException {
        Path temp = Files.createTempFile(directory.getParent(), name, ".tmp");
        Files.writeString(temp, yaml, StandardCharsets.UTF_8);
        Files.move(temp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
