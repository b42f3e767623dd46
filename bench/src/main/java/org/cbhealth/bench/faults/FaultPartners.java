package org.cbhealth.bench.faults;

import java.io.IOException;
import java.nio.file.Path;
import org.cbhealth.bench.partner.PartnerCredentials;

/**
 * The harness's two partners as partner files: a Bulgarian referrer sending REF^I12 over MLLP, its own JMS queue on the
 * standalone broker and REST (format {@code hl7v2}, flow {@code referral}), and a North Macedonian destination whose
 * outbound channel is {@code mllp} to the harness's {@link DestinationListener}. The destination carries the registry
 * identifier the sample's referred-to PRD names (EMBS 4068491); each lists the other in {@code referralPartners}.
 * Each names its run's secret file and public keys ({@link PartnerCredentials}); the standalone broker does not
 * check the secret, the hub's token endpoint checks the keys.
 */
record FaultPartners(
        int senderMllpPort, int destinationPort, PartnerCredentials sender, PartnerCredentials destination) {

    static final String SENDER = "faults-referrer";
    static final String DESTINATION = "faults-destination";
    static final String SENDER_JMS_QUEUE = "faults.referrer.referrals";
    static final String SENDER_NOTICES_QUEUE = "faults.referrer.notices";

    /** New credentials for both partners, their secret files under {@code secretsDir}. */
    static FaultPartners generate(int senderMllpPort, int destinationPort, Path secretsDir) throws IOException {
        return new FaultPartners(
                senderMllpPort,
                destinationPort,
                PartnerCredentials.generate(SENDER, secretsDir),
                PartnerCredentials.generate(DESTINATION, secretsDir));
    }

    String senderYaml() {
        return """
                # Fault-injection referrer: a Bulgarian hospital sending REF^I12 over MLLP, JMS and REST.
                id: %s
                names:
                  bg: Болница, която изпраща направления
                  en: Fault-injection referrer
                country: BG
                identifiers:
                  - system: https://fhir.cbhealth.eu/sid/registry/bg-eik
                    value: "101004535"
                %sinbound:
                  - name: %s
                    kind: mllp
                    format: hl7v2
                    flow: referral
                    settings:
                      host: 127.0.0.1
                      port: %d
                  - name: %s
                    kind: jms
                    format: hl7v2
                    flow: referral
                    settings:
                      queue: %s
                  - name: %s
                    kind: rest
                    format: hl7v2
                    flow: referral
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
                        SendChannel.MLLP.channelName,
                        senderMllpPort,
                        SendChannel.JMS.channelName,
                        SENDER_JMS_QUEUE,
                        SendChannel.REST.channelName,
                        SENDER_NOTICES_QUEUE,
                        DESTINATION);
    }

    String destinationYaml() {
        return """
                # Fault-injection destination: a North Macedonian hospital taking referrals on its MLLP listener.
                id: %s
                names:
                  mk: Болница која прима упати
                  en: Fault-injection destination
                country: MK
                identifiers:
                  - system: https://fhir.cbhealth.eu/sid/registry/mk-embs
                    value: "4068491"
                %soutbound:
                  kind: mllp
                  settings:
                    host: 127.0.0.1
                    port: %d
                referralPartners: [%s]
                """
                .formatted(DESTINATION, destination.yaml(), destinationPort, SENDER);
    }

    void writeTo(Path directory) throws IOException {
        PartnerCredentials.writePartnerFile(directory, SENDER + ".yaml", senderYaml());
        PartnerCredentials.writePartnerFile(directory, DESTINATION + ".yaml", destinationYaml());
    }
}
