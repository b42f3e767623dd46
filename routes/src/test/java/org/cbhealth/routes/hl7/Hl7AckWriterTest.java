package org.cbhealth.routes.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cbhealth.routes.hl7.Hl7v2ReaderTest.parsed;
import static org.cbhealth.routes.hl7.Hl7v2ReaderTest.sample;

import java.util.List;
import org.junit.jupiter.api.Test;

class Hl7AckWriterTest {

    private final Hl7AckWriter writer = new Hl7AckWriter("CBHUB", "CBHEALTH");

    @Test
    void shouldAcknowledgeAcceptedReferralToItsSender() throws Exception {
        String[] ack = writer.accept(parsed("referral/ref-i12-bg-to-mk.hl7")).split("\r");

        assertThat(ack[0]).startsWith("MSH|^~\\&|CBHUB|CBHEALTH|BIS|MBAL-BLAGOEVGRAD^101004535^L|");
        assertThat(ack[0]).contains("|ACK^I12^ACK|").contains("|P|2.5.1");
        assertThat(ack[1]).isEqualTo("MSA|AA|BG-REF-000123");
        assertThat(ack).hasSize(2);
    }

    @Test
    void shouldListEveryProblemAsAnErrSegment() throws Exception {
        Hl7v2RejectedException refusal = new Hl7v2RejectedException(
                Hl7v2RejectedException.AckCode.AE,
                List.of(
                        new Hl7Error("PID", 1, 7, 102, "impossible birth date 19750231"),
                        new Hl7Error("PID", 1, 3, 102, "BG EGN 7501024917: wrong check digit (expected 8, found 7)")));

        String[] ack =
                writer.refuse(parsed("referral/ref-i12-bg-to-mk.hl7"), refusal).split("\r");

        assertThat(ack[1]).isEqualTo("MSA|AE|BG-REF-000123");
        assertThat(ack[2]).isEqualTo("ERR||PID^1^7|102^Data type error^HL70357|E||||impossible birth date 19750231");
        assertThat(ack[3])
                .isEqualTo("ERR||PID^1^3|102^Data type error^HL70357|E||||"
                        + "BG EGN 7501024917: wrong check digit (expected 8, found 7)");
    }

    @Test
    void shouldAnswerAnUnparseableMessageFromItsRawHeader() throws Exception {
        String raw = sample("referral/bad/garbage-before-msh.hl7");
        Hl7v2RejectedException refusal = new Hl7v2RejectedException(
                Hl7v2RejectedException.AckCode.AR, List.of(new Hl7Error("MSH", 1, 0, 100, "25 characters before MSH")));

        String[] ack = writer.refuse(raw, refusal).split("\r");

        assertThat(ack[0]).startsWith("MSH|^~\\&|CBHUB|CBHEALTH|BIS|MBAL-BLAGOEVGRAD^101004535^L|");
        assertThat(ack[0]).contains("|ACK^I12^ACK|");
        assertThat(ack[1]).isEqualTo("MSA|AR|BG-REF-000123");
        assertThat(ack[2]).isEqualTo("ERR||MSH^1|100^Segment sequence error^HL70357|E||||25 characters before MSH");
    }

    @Test
    void shouldReadRawHeaderFieldsByPosition() {
        String raw = "MSH|^~\\&|APP^1^L|FAC|||20261120||REF^I12|CTRL-1|P|2.5.1\r";

        assertThat(Hl7AckWriter.rawMshField(raw, 3)).isEqualTo("APP");
        assertThat(Hl7AckWriter.rawMshField(raw, 4)).isEqualTo("FAC");
        assertThat(Hl7AckWriter.rawMshField(raw, 5)).isNull();
        assertThat(Hl7AckWriter.rawMshField(raw, 10)).isEqualTo("CTRL-1");
        assertThat(Hl7AckWriter.rawMshField(raw, 30)).isNull();
        assertThat(Hl7AckWriter.rawMshField("garbage", 10)).isNull();
    }
}
