package org.cbhealth.bench.referral;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AckReaderTest {

    private static final String MSH =
            "MSH|^~\\&|CBHUB|CBHEALTH|BIS|MBAL-BLAGOEVGRAD|20261120093001+0200||ACK^I12^ACK|7f3a|P|2.5.1\r";

    private final AckReader reader = new AckReader();

    @Test
    void shouldReadAnAcceptWithItsControlId() throws Exception {
        assertThat(reader.read(MSH + "MSA|AA|BENCH-1a2b-000042\r"))
                .isEqualTo(new AckReader.Ack("AA", "BENCH-1a2b-000042", ""));
    }

    @Test
    void shouldReadTheFirstErrOfARefusal() throws Exception {
        String ack = MSH
                + "MSA|AE|BENCH-1a2b-000042\r"
                + "ERR||PID^1^7|102^Data type error^HL70357|E||||impossible birth date 19750231\r"
                + "ERR||PID^1^3|102^Data type error^HL70357|E||||BG EGN 7501024919: wrong check digit\r";
        assertThat(reader.read(ack))
                .isEqualTo(new AckReader.Ack("AE", "BENCH-1a2b-000042", "PID-7 102: impossible birth date 19750231"));
    }

    @Test
    void shouldReadTheHubsOwnFailureOnMsh() throws Exception {
        String ack = MSH
                + "MSA|AE|BENCH-1a2b-000001\r"
                + "ERR||MSH^1^0|207^Application internal error^HL70357|E||||"
                + "the hub could not take the message now; send it again\r";
        assertThat(reader.read(ack).error())
                .isEqualTo("MSH-0 207: the hub could not take the message now; send it again");
    }
}
