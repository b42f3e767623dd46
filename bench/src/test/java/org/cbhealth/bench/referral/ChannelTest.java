package org.cbhealth.bench.referral;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChannelTest {

    @Test
    void shouldGiveEachChannelItsOwnPlacerLetterAndSenderChannel() {
        assertThat(Channel.MLLP.letter() + Channel.REST.letter() + Channel.JMS.letter())
                .isEqualTo("MRJ");
        assertThat(Channel.MLLP.channelName).isEqualTo("referrals");
        assertThat(Channel.REST.channelName).isEqualTo("referrals-rest");
        assertThat(Channel.JMS.channelName).isEqualTo("referrals-jms");
    }

    @Test
    void shouldFitTheLongestPlacerNumberInMsh10() {
        assertThat(RefI12Messages.placer("WARMUP-" + Channel.MLLP.letter() + "ffff", 999_999))
                .hasSizeLessThanOrEqualTo(RefI12Messages.MAX_PLACER_LENGTH);
    }
}
