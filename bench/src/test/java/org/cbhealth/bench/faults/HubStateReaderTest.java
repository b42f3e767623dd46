package org.cbhealth.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HubStateReaderTest {

    @Test
    void shouldReadMsh10FromTheRawBodyOfAParkedMessage() {
        assertThat(
                        HubStateReader.controlId(
                                "MSH|^~\\&|BIS|MBAL^101004535^L|CBHUB|CBHEALTH|20261120093000+0200||REF^I12^REF_I12|F1a2b-000042|P|2.5.1\rPID|1"))
                .isEqualTo("F1a2b-000042");
        assertThat(HubStateReader.controlId("MSH#^~\\&#A#B#C#D#T##REF^I12#X-1#P#2.5.1"))
                .isEqualTo("X-1");
        assertThat(HubStateReader.controlId("{\"resourceType\":\"Bundle\"}")).isEmpty();
        assertThat(HubStateReader.controlId(null)).isEmpty();
    }

    @Test
    void shouldMakeAnEgnWithAWrongCheckDigit() {
        assertThat(FaultInjectionRun.wrongCheckDigit("7501024918")).isEqualTo("7501024919");
        assertThat(FaultInjectionRun.wrongCheckDigit("7501024919")).isEqualTo("7501024910");
    }
}
