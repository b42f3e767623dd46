package org.cbhealth.bench.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MllpLoadTest {

    @Test
    void shouldFrameTheUtf8TextBetweenStartAndEndBlocks() {
        assertThat(MllpLoad.frame("MSH|Щ\r"))
                .containsExactly(0x0b, 'M', 'S', 'H', '|', 0xd0 - 256, 0xa9 - 256, 0x0d, 0x1c, 0x0d);
    }

    @Test
    void shouldReadOneAnswerAndLeaveTheNextInTheStream() throws IOException {
        byte[] two = "\u000bMSA|AA|1\r\u001c\r\u000bMSA|AA|2\r\u001c\r".getBytes(StandardCharsets.UTF_8);
        ByteArrayInputStream in = new ByteArrayInputStream(two);
        assertThat(MllpLoad.readAnswer(in)).isEqualTo("MSA|AA|1\r");
        assertThat(MllpLoad.readAnswer(in)).isEqualTo("MSA|AA|2\r");
    }

    @Test
    void shouldRefuseAnAnswerCutOrUnframed() {
        assertThatThrownBy(() -> MllpLoad.readAnswer(new ByteArrayInputStream("\u000bMSA|AA".getBytes())))
                .hasMessage("connection closed inside the answer");
        assertThatThrownBy(() -> MllpLoad.readAnswer(new ByteArrayInputStream("MSA|AA|1".getBytes())))
                .hasMessage("answer without a start block");
        assertThatThrownBy(() -> MllpLoad.readAnswer(new ByteArrayInputStream(new byte[0])))
                .hasMessage("connection closed before the answer");
    }
}
