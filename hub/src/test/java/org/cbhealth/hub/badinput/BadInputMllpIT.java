package org.cbhealth.hub.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.Charset;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.cbhealth.hub.support.AdminApi;
import org.cbhealth.hub.support.FreePorts;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.cbhealth.hub.support.MllpClient;
import org.cbhealth.hub.support.ParkedMessages.Parked;
import org.cbhealth.hub.support.PartnerFiles;
import org.cbhealth.hub.support.Samples;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HL7 v2 / MLLP rows of the bad-input matrix (docs/bad-input.md), over a real socket to one partner's
 * listener: each kind gets its literal answer (ACK code and ERR segment), what is refused is parked for the sender
 * to fix, what never became a whole frame is not answered, and after each the listener still takes a good
 * referral, stored as its Task. Duplicate MSH-10: the original ACK byte for byte, one Task, across a restart of
 * the partner's routes.
 */
class BadInputMllpIT extends HubIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SAMPLE_ID = "BG-REF-000123";
    private static final String SAMPLE_REGISTRY = "4068491";

    private static String sender;
    private static String registry;
    private static int port;

    @BeforeEach
    void senderAndDestination() throws Exception {
        if (sender != null) {
            return;
        }
        String s = UUID.randomUUID().toString().substring(0, 8);
        String destination = "it-bad-dest-" + s;
        sender = "it-bad-mllp-" + s;
        registry = Integer.toString(ThreadLocalRandom.current().nextInt(5_000_000, 9_999_999));
        port = FreePorts.next();
        PartnerFiles.write(
                PARTNERS_DIR,
                destination + ".yaml",
                PartnerFiles.partner(destination, "referralPartners: [" + sender + "]\n")
                        .replace("value: " + destination, "value: \"" + registry + "\""));
        PartnerFiles.write(PARTNERS_DIR, sender + ".yaml", PartnerFiles.mllpReferralSender(sender, port, destination));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(admin().partner(destination)).isNotNull();
            assertThat(admin().partner(sender)).isNotNull();
            assertThat(admin().partner(sender).get("routes").findValuesAsText("state"))
                    .containsOnly("Started");
        });
    }

    @Test
    void garbageBeforeMshIsRefusedArCountingTheCharacters() throws Exception {
        String ack = MllpClient.send(port, "garbage" + referral(newId()));

        assertThat(ack).contains("MSA|AR|");
        assertThat(ack).contains("ERR||MSH^1|100^Segment sequence error^HL70357|E||||7 characters before MSH");
        assertParked("7 characters before MSH");
        assertGoodReferralStillStored();
    }

    @Test
    void lineFeedsInsteadOfCarriageReturnsAreRefusedAr() throws Exception {
        String id = newId();
        String ack = MllpClient.send(port, referral(id).replace('\r', '\n'));

        assertThat(ack).contains("MSA|AR|" + id);
        assertThat(ack).contains("|100^Segment sequence error^HL70357|E||||segments are separated by line feeds");
        assertGoodReferralStillStored();
    }

    @Test
    void unsupportedMessageTypeIsRefusedArNamingMsh9() throws Exception {
        String id = newId();
        String ack = MllpClient.send(port, referral(id).replace("REF^I12^REF_I12", "ADT^A01^ADT_A01"));

        assertThat(ack).contains("MSA|AR|" + id);
        assertThat(ack)
                .contains("ERR||MSH^1^9|200^Unsupported message type^HL70357|E||||message type ADT\\S\\A01 is not"
                        + " accepted here; accepted: REF\\S\\I12");
        assertParked("MSH-9: message type ADT^A01 is not accepted here");
        assertGoodReferralStillStored();
    }

    @Test
    void unsupportedVersionIsRefusedArNamingMsh12() throws Exception {
        String id = newId();
        String ack = MllpClient.send(port, referral(id).replace("|P|2.5.1|", "|P|2.3|"));

        assertThat(ack).contains("MSA|AR|" + id);
        assertThat(ack)
                .contains("ERR||MSH^1^12|203^Unsupported version id^HL70357|E||||version 2.3 is not accepted;"
                        + " send HL7 v2.5.1");
        assertGoodReferralStillStored();
    }

    @Test
    void missingMsh10IsRefusedArNamingIt() throws Exception {
        String ack = MllpClient.send(port, referral("").replace("REF_I12||P|", "REF_I12||P|"));

        assertThat(ack).contains("\rMSA|AR\r");
        assertThat(ack)
                .contains("ERR||MSH^1^10|101^Required field missing^HL70357|E||||MSH-10 (message control id) is"
                        + " empty");
        assertParked("MSH-10 (message control id) is empty");
        assertGoodReferralStillStored();
    }

    @Test
    void wrongCheckDigitOfThePatientIdIsRefusedAeNamingPid3() throws Exception {
        String id = newId();
        String ack = MllpClient.send(port, referral(id).replace("7501024918^", "7501024919^"));

        assertThat(ack).contains("MSA|AE|" + id);
        assertThat(ack)
                .contains("ERR||PID^1^3|102^Data type error^HL70357|E||||BG EGN 7501024919: wrong check digit"
                        + " (expected 8, found 9)");
        assertParked("BG EGN 7501024919: wrong check digit");
        assertGoodReferralStillStored();
    }

    @Test
    void impossibleBirthDateIsRefusedAeNamingPid7AndTheFixedMessageWithTheSameIdIsTaken() throws Exception {
        String id = newId();
        String ack = MllpClient.send(port, referral(id).replace("||19750102|", "||19751332|"));

        assertThat(ack).contains("MSA|AE|" + id);
        assertThat(ack).contains("ERR||PID^1^7|102^Data type error^HL70357|E||||impossible date of birth 19751332");
        // a refused message is not remembered: fixed and sent again with the same MSH-10, it is processed
        assertThat(MllpClient.send(port, referral(id))).contains("MSA|AA|" + id);
        assertThat(tasks(id)).isEqualTo(1);
    }

    @Test
    void bytesNotInTheChannelsCharsetAreRefusedArNamingMsh18() throws Exception {
        String id = newId();
        byte[] cyrillic = referral(id).getBytes(Charset.forName("ISO-8859-5"));

        String ack = MllpClient.send(port, cyrillic);

        assertThat(ack).contains("MSA|AR|" + id);
        assertThat(ack)
                .contains("ERR||MSH^1^18|102^Data type error^HL70357|E||||the bytes are not valid UTF-8 text, the"
                        + " character set this channel reads (MSH-18 says UNICODE UTF-8)");
        assertParked("MSH-18: the bytes are not valid UTF-8 text");
        assertGoodReferralStillStored();
    }

    @Test
    void msh18NamingAnotherCharsetIsRefusedAr() throws Exception {
        String id = newId();
        String ack = MllpClient.send(port, referral(id).replace("|UNICODE UTF-8|", "|8859/5|"));

        assertThat(ack).contains("MSA|AR|" + id);
        assertThat(ack).contains("||||MSH-18 declares ISO-8859-5 but this channel reads UTF-8");
        assertGoodReferralStillStored();
    }

    @Test
    void repetitionBombIsRefusedArNamingTheFieldBeforeParsing() throws Exception {
        String id = newId();
        String ack = MllpClient.send(port, referral(id).replace("PID|1||", "PID|1||" + "X~".repeat(50_000)));

        assertThat(ack).contains("MSA|AR|" + id);
        assertThat(ack).contains("ERR||PID^1^3|102^Data type error^HL70357|E||||PID-3 has more than 100 repetitions");
        assertGoodReferralStillStored();
    }

    @Test
    void fieldBombIsRefusedArNamingTheSegment() throws Exception {
        String id = newId();
        String ack = MllpClient.send(port, referral(id).replace("NTE|1||", "NTE|1||" + "|".repeat(50_000)));

        assertThat(ack).contains("MSA|AR|" + id);
        assertThat(ack).contains("ERR||NTE^1|100^Segment sequence error^HL70357|E||||NTE has more than 100 fields");
        assertGoodReferralStillStored();
    }

    @Test
    void frameWithoutEndBlockIsNotAnsweredAndTheConnectionIsReset() throws Exception {
        int parkedBefore = parked().count(sender);

        assertThat(MllpClient.answerOrClose(port, MllpClient.unterminated(referral(newId()) + "\r")))
                .as("answer to a frame without its end block")
                .isNull();

        assertGoodReferralStillStored();
        assertThat(parked().count(sender)).isEqualTo(parkedBefore);
    }

    @Test
    void connectionCutMidFrameLeavesNothingAndTheListenerGoesOn() throws Exception {
        int parkedBefore = parked().count(sender);
        String id = newId();
        String whole = referral(id);

        MllpClient.cutAfter(port, MllpClient.unterminated(whole.substring(0, whole.length() / 2)));

        assertGoodReferralStillStored();
        assertThat(tasks(id)).isZero();
        assertThat(parked().count(sender)).isEqualTo(parkedBefore);
    }

    @Test
    void slowSenderIsCutOffAfterTheReadTimeout() throws Exception {
        long started = System.nanoTime();

        // the start of a frame, then silence: the listener gives up after its readTimeout (5 s)
        assertThat(MllpClient.answerOrClose(port, MllpClient.unterminated("MSH|^~\\&|BIS|")))
                .isNull();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(4), WAIT);
        assertGoodReferralStillStored();
    }

    @Test
    void oversizeFrameIsRefusedArNamingTheLimit() throws Exception {
        String id = newId();
        // one character over cbhealth.routes.max-message-bytes (10 MiB by default)
        String referral = referral(id);
        String huge = referral.replace("NTE|1||", "NTE|1||" + "A".repeat(10 * 1024 * 1024 + 1 - referral.length()));

        String ack = MllpClient.send(port, huge);

        assertThat(ack).contains("MSA|AR|" + id);
        assertThat(ack)
                .contains("ERR||MSH^1|102^Data type error^HL70357|E||||frame too large: 10485761 characters, the"
                        + " limit is 10485760");
        assertGoodReferralStillStored();
    }

    @Test
    void duplicateMsh10GetsTheOriginalAckByteForByteAndOneTaskAlsoAfterARestart() throws Exception {
        String id = newId();
        String original = MllpClient.send(port, referral(id));
        assertThat(original).contains("MSA|AA|" + id);

        assertThat(MllpClient.send(port, referral(id))).isEqualTo(original);
        // same MSH-10, another body: still the original answer, nothing processed
        assertThat(MllpClient.send(port, referral(id).replace("Коронарография", "Ехокардиография")))
                .isEqualTo(original);

        AdminApi admin = admin();
        assertThat(admin.post("/api/admin/partners/" + sender + "/stop").status())
                .isEqualTo(200);
        assertThat(admin.post("/api/admin/partners/" + sender + "/start").status())
                .isEqualTo(200);
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                        admin().partner(sender).get("routes").findValuesAsText("state"))
                .containsOnly("Started"));

        assertThat(MllpClient.send(port, referral(id))).isEqualTo(original);
        assertThat(tasks(id)).isEqualTo(1);
    }

    private void assertGoodReferralStillStored() throws Exception {
        String id = newId();
        assertThat(MllpClient.send(port, referral(id))).contains("MSA|AA|" + id);
        assertThat(tasks(id)).isEqualTo(1);
    }

    private void assertParked(String reasonFragment) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(parked().of(sender))
                .filteredOn(p -> p.reason() != null && p.reason().contains(reasonFragment))
                .singleElement()
                .satisfies(p -> assertThat(p.failedBy()).isEqualTo("sender"))
                .extracting(Parked::raw)
                .asString()
                .contains("MSH|"));
    }

    private int tasks(String id) {
        Bundle found = fhirClient()
                .search()
                .byUrl("Task?identifier=" + CbhCanonical.partnerIdentifierSystem(sender, "referral-task") + "|" + id)
                .returnBundle(Bundle.class)
                .execute();
        return found.getEntry().size();
    }

    /** The Bulgarian sample referral with its own MSH-10 and placer number, to this class's destination. */
    private static String referral(String id) {
        return Samples.hl7From("referral/ref-i12-bg-to-mk.hl7", sender)
                .replace(SAMPLE_ID, id)
                .replace(SAMPLE_REGISTRY, registry);
    }

    private static String newId() {
        return "BAD-" + UUID.randomUUID().toString().substring(0, 12);
    }
}
