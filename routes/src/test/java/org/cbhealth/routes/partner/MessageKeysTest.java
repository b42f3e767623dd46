package org.cbhealth.routes.partner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageKeysTest {

    @Test
    void shouldTakeMsh10OfHl7v2() {
        assertThat(MessageKeys.hl7v2(
                        bytes("MSH|^~\\&|BIS|MBAL||CBHEALTH|20261120||REF^I12^REF_I12|BG-REF-7|P|2.5.1\rPID|1")))
                .contains("BG-REF-7");
    }

    @Test
    void shouldHaveNoKeyWithoutMsh10() {
        assertThat(MessageKeys.hl7v2(bytes("MSH|^~\\&|BIS|MBAL||CBHEALTH|20261120||REF^I12^REF_I12||P|2.5.1")))
                .isEmpty();
        assertThat(MessageKeys.hl7v2(bytes("junk"))).isEmpty();
    }

    @Test
    void shouldHaveNoKeyLongerThanTheColumn() {
        String longId = "X".repeat(256);
        assertThat(MessageKeys.hl7v2(bytes("MSH|^~\\&|A|B||C|20261120||REF^I12|" + longId + "|P|2.5.1")))
                .isEmpty();
    }

    @Test
    void shouldTakeTheTopLevelApplicationNumberOfJson() {
        assertThat(MessageKeys.applicationNumber(
                        bytes("{\"patient\":{\"applicationNumber\":\"inner\"},\"applicationNumber\":\"UA-2026-17\"}")))
                .contains("UA-2026-17");
    }

    @Test
    void shouldHaveNoKeyForJsonWithoutOrWithANonTextApplicationNumber() {
        assertThat(MessageKeys.applicationNumber(bytes("{\"applicationNumber\":17}")))
                .isEmpty();
        assertThat(MessageKeys.applicationNumber(bytes("{\"reason\":\"x\"}"))).isEmpty();
        assertThat(MessageKeys.applicationNumber(bytes("[1,2]"))).isEmpty();
        assertThat(MessageKeys.applicationNumber(bytes("{not json"))).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
