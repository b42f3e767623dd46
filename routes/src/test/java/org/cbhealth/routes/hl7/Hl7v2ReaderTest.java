package org.cbhealth.routes.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.REF_I12;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Hl7v2ReaderTest {

    private final Hl7v2Reader reader = new Hl7v2Reader(Set.of("REF^I12"));

    @Test
    void shouldReadBulgarianReferralKeepingCyrillicNames() throws Exception {
        REF_I12 referral = (REF_I12) reader.read(sample("referral/ref-i12-bg-to-mk.hl7"));

        assertThat(referral.getMSH().getMessageControlID().getValue()).isEqualTo("BG-REF-000123");
        assertThat(referral.getPID()
                        .getPatientName(0)
                        .getFamilyName()
                        .getSurname()
                        .getValue())
                .isEqualTo("Иванова");
        assertThat(referral.getPID().getPatientIdentifierList(0).getIDNumber().getValue())
                .isEqualTo("7501024918");
    }

    @Test
    void shouldReadSlovenianReferralWithDiacritics() throws Exception {
        REF_I12 referral = (REF_I12) reader.read(sample("referral/ref-i12-si-to-at.hl7"));

        assertThat(referral.getMSH().getMessageControlID().getValue()).isEqualTo("SI-UKCMB-77812");
        assertThat(referral.getPROVIDER_CONTACT(1)
                        .getPRD()
                        .getProviderAddress(0)
                        .getCity()
                        .getValue())
                .isEqualTo("Klagenfurt am Wörthersee");
    }

    @Test
    void shouldRefuseGarbageBeforeMshCountingIt() throws IOException {
        Hl7Error error = refusedOnly(sample("referral/bad/garbage-before-msh.hl7"));

        assertThat(error)
                .isEqualTo(new Hl7Error(
                        "MSH", 1, 0, 100, "25 characters before MSH: a message must start with the MSH segment"));
    }

    @Test
    void shouldRefuseMissingControlIdNamingMsh10() throws IOException {
        Hl7Error error = refusedOnly(sample("referral/bad/missing-msh10.hl7"));

        assertThat(error).isEqualTo(new Hl7Error("MSH", 1, 10, 101, "MSH-10 (message control id) is empty"));
    }

    @Test
    void shouldRefuseLineFeedDelimiters() throws IOException {
        Hl7Error error = refusedOnly(sample("referral/bad/newline-delimiters.hl7"));

        assertThat(error.code()).isEqualTo(100);
        assertThat(error.text())
                .isEqualTo("segments are separated by line feeds; HL7 v2 requires a carriage return (0x0D) after"
                        + " each segment");
    }

    @Test
    void shouldRefuseUnsupportedMessageTypeNamingMsh9() {
        String adt = "MSH|^~\\&|BIS|MBAL|CBHUB|CBHEALTH|20261120093000||ADT^A01^ADT_A01|X1|P|2.5.1\rEVN|A01\r"
                + "PID|1||1^^^X||Doe^John\rPV1|1|I\r";

        Hl7Error error = refusedOnly(adt);

        assertThat(error.location()).isEqualTo("MSH-9");
        assertThat(error.code()).isEqualTo(200);
        assertThat(error.text()).isEqualTo("message type ADT^A01 is not accepted here; accepted: REF^I12");
    }

    @Test
    void shouldRefuseOtherVersionNamingMsh12() throws IOException {
        String v23 = sample("referral/ref-i12-bg-to-mk.hl7").replace("|P|2.5.1|", "|P|2.3|");

        Hl7Error error = refusedOnly(v23);

        assertThat(error).isEqualTo(new Hl7Error("MSH", 1, 12, 203, "version 2.3 is not accepted; send HL7 v2.5.1"));
    }

    @Test
    void shouldRefuseTextWithoutMsh() {
        Hl7Error error = refusedOnly("{\"resourceType\":\"Patient\"}");

        assertThat(error.text()).isEqualTo("no MSH segment: not an HL7 v2 message");
    }

    @Test
    void shouldRefuseARepetitionBombNamingSegmentAndFieldBeforeParsing() throws IOException {
        String bomb = sample("referral/ref-i12-bg-to-mk.hl7")
                .replace("PID|1||7501024918", "PID|1||" + "X~".repeat(5000) + "7501024918");

        Hl7Error error = refusedOnly(bomb);

        assertThat(error).isEqualTo(new Hl7Error("PID", 1, 3, 102, "PID-3 has more than 100 repetitions"));
    }

    @Test
    void shouldRefuseAFieldBombNamingTheSegment() throws IOException {
        String bomb = sample("referral/ref-i12-bg-to-mk.hl7").replace("NTE|1||", "NTE|1||" + "|".repeat(1000));

        Hl7Error error = refusedOnly(bomb);

        assertThat(error).isEqualTo(new Hl7Error("NTE", 1, 0, 100, "NTE has more than 100 fields"));
    }

    @Test
    void shouldRefuseASegmentBomb() throws IOException {
        String bomb = sample("referral/ref-i12-bg-to-mk.hl7") + "\rNTE|2||x".repeat(1000);

        Hl7Error error = refusedOnly(bomb);

        assertThat(error).isEqualTo(new Hl7Error("NTE", 993, 0, 100, "more than 1000 segments in one message"));
    }

    @Test
    void shouldCountRepetitionsOfMshAfterItsEncodingCharacters() throws IOException {
        // MSH-2 holds '~' itself; a referral with a few repetitions anywhere still reads
        assertThat(parsed("referral/ref-i12-bg-to-mk.hl7")).isNotNull();
    }

    @Test
    void shouldRefuseAMessageOverTheSizeLimitNamingBoth() {
        Hl7v2RejectedException refused = catchThrowableOfType(
                Hl7v2RejectedException.class, () -> Hl7v2Reader.checkSize("MSH|" + "x".repeat(97), 100));

        assertThat(refused.ackCode()).isEqualTo(Hl7v2RejectedException.AckCode.AR);
        assertThat(refused.errors())
                .containsExactly(new Hl7Error("MSH", 1, 0, 102, "frame too large: 101 characters, the limit is 100"));
        Hl7v2Reader.checkSize("MSH|" + "x".repeat(96), 100);
    }

    @Test
    void shouldAcceptTextMatchingItsDeclaredCharset() throws IOException {
        Hl7v2Reader.checkCharset(sample("referral/ref-i12-bg-to-mk.hl7"), StandardCharsets.UTF_8);
    }

    @Test
    void shouldRefuseBytesThatAreNotTheChannelsCharsetNamingMsh18() throws IOException {
        byte[] cyrillic =
                sample("referral/ref-i12-bg-to-mk.hl7").getBytes(java.nio.charset.Charset.forName("ISO-8859-5"));
        String readAsUtf8 = new String(cyrillic, StandardCharsets.UTF_8);

        Hl7Error error = charsetRefusal(readAsUtf8, StandardCharsets.UTF_8);

        assertThat(error)
                .isEqualTo(new Hl7Error(
                        "MSH",
                        1,
                        18,
                        102,
                        "the bytes are not valid UTF-8 text, the character set this channel reads (MSH-18 says UNICODE"
                                + " UTF-8)"));
    }

    @Test
    void shouldRefuseMsh18NamingAnotherCharsetThanTheChannels() throws IOException {
        String latin = sample("referral/ref-i12-bg-to-mk.hl7").replace("|UNICODE UTF-8|", "|8859/5|");

        Hl7Error error = charsetRefusal(latin, StandardCharsets.UTF_8);

        assertThat(error.location()).isEqualTo("MSH-18");
        assertThat(error.text()).isEqualTo("MSH-18 declares ISO-8859-5 but this channel reads UTF-8");
    }

    @Test
    void shouldRefuseAnUnknownMsh18() throws IOException {
        String unknown = sample("referral/ref-i12-bg-to-mk.hl7").replace("|UNICODE UTF-8|", "|KOI8-R|");

        assertThat(charsetRefusal(unknown, StandardCharsets.UTF_8).text())
                .isEqualTo("MSH-18 'KOI8-R' is not a character set of HL7 table 0211 this hub reads");
    }

    @Test
    void shouldReadMsh10WithoutParsing() throws IOException {
        assertThat(Hl7v2Reader.controlIdOf(sample("referral/ref-i12-bg-to-mk.hl7")))
                .isEqualTo("BG-REF-000123");
        assertThat(Hl7v2Reader.controlIdOf(sample("referral/bad/missing-msh10.hl7")))
                .isNull();
        assertThat(Hl7v2Reader.controlIdOf("garbage MSH|^~\\&|A|B")).isNull();
    }

    private static Hl7Error charsetRefusal(String text, java.nio.charset.Charset charset) {
        Hl7v2RejectedException refused =
                catchThrowableOfType(Hl7v2RejectedException.class, () -> Hl7v2Reader.checkCharset(text, charset));
        assertThat(refused).as("refusal").isNotNull();
        assertThat(refused.ackCode()).isEqualTo(Hl7v2RejectedException.AckCode.AR);
        assertThat(refused.errors()).hasSize(1);
        return refused.errors().get(0);
    }

    @Test
    void sendingFacilityBoundByNamespaceOrUniversalIdIsAccepted() throws IOException {
        String referral = sample("referral/ref-i12-bg-to-mk.hl7");

        assertThat(Hl7v2Reader.checkSendingFacility(referral, Set.of("MBAL-BLAGOEVGRAD"), Map.of(), "bg-a"))
                .isEqualTo("MBAL-BLAGOEVGRAD^101004535^L");
        assertThat(Hl7v2Reader.checkSendingFacility(referral, Set.of("101004535"), Map.of(), "bg-a"))
                .isEqualTo("MBAL-BLAGOEVGRAD^101004535^L");
    }

    @Test
    void sendingFacilityNotBoundToTheConnectionIsRefusedArNamingMsh4() throws IOException {
        String referral = sample("referral/ref-i12-bg-to-mk.hl7");

        Hl7v2RejectedException refused = catchThrowableOfType(
                Hl7v2RejectedException.class,
                () -> Hl7v2Reader.checkSendingFacility(referral, Set.of("mk-b", "4068491"), Map.of(), "mk-b"));

        assertThat(refused.ackCode()).isEqualTo(Hl7v2RejectedException.AckCode.AR);
        assertThat(refused.errors())
                .containsExactly(new Hl7Error(
                        "MSH",
                        1,
                        4,
                        Hl7Error.UNKNOWN_KEY_IDENTIFIER,
                        "sending facility 'MBAL-BLAGOEVGRAD^101004535^L' is not bound to this connection of partner"
                                + " mk-b"));
    }

    @Test
    void anotherPartnersFacilityIsRefusedEvenWhenOneComponentIsBound() throws IOException {
        String referral = sample("referral/ref-i12-bg-to-mk.hl7");

        Hl7v2RejectedException refused = catchThrowableOfType(
                Hl7v2RejectedException.class,
                () -> Hl7v2Reader.checkSendingFacility(
                        referral, Set.of("MBAL-BLAGOEVGRAD"), Map.of("101004535", "bg-real"), "bg-a"));

        assertThat(refused.errors())
                .extracting(Hl7Error::location, Hl7Error::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "MSH-4",
                        "sending facility 'MBAL-BLAGOEVGRAD^101004535^L' is not bound to this connection of partner"
                                + " bg-a"));
    }

    @Test
    void emptySendingFacilityIsRefusedAsMissingAndTextWithoutMshIsLeftToTheReader() throws IOException {
        String referral = sample("referral/ref-i12-bg-to-mk.hl7").replace("|MBAL-BLAGOEVGRAD^101004535^L|", "||");

        Hl7v2RejectedException refused = catchThrowableOfType(
                Hl7v2RejectedException.class,
                () -> Hl7v2Reader.checkSendingFacility(referral, Set.of("bg-a"), Map.of(), "bg-a"));

        assertThat(refused.errors())
                .containsExactly(new Hl7Error(
                        "MSH",
                        1,
                        4,
                        Hl7Error.REQUIRED_FIELD_MISSING,
                        "MSH-4 (sending facility) is empty; this connection of partner bg-a sends as bg-a"));
        assertThat(Hl7v2Reader.checkSendingFacility("garbage" + referral, Set.of("bg-a"), Map.of(), "bg-a"))
                .isNull();
    }

    private Hl7Error refusedOnly(String text) {
        Hl7v2RejectedException refused = catchThrowableOfType(Hl7v2RejectedException.class, () -> reader.read(text));
        assertThat(refused).as("refusal").isNotNull();
        assertThat(refused.ackCode()).isEqualTo(Hl7v2RejectedException.AckCode.AR);
        assertThat(refused.errors()).hasSize(1);
        return refused.errors().get(0);
    }

    static String sample(String path) throws IOException {
        try (InputStream in = Hl7v2ReaderTest.class.getResourceAsStream("/samples/" + path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Message parsed(String path) throws IOException {
        return new Hl7v2Reader(Set.of("REF^I12")).read(sample(path));
    }
}
