package org.cbhealth.bench.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelResultTest {

    private static Map<String, Long> counters(long received, long stored, long parked) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("received", received);
        counters.put("stored", stored);
        counters.put("parked", parked);
        return counters;
    }

    @Test
    void shouldGiveTheChangeOfEachCounterInTheHubsOrder() {
        assertThat(ChannelResult.counterDelta(counters(220, 1980, 3), counters(720, 6480, 5)))
                .isEqualTo("received 500, stored 4500, parked 2");
    }

    @Test
    void shouldCountACounterThatAppearedFromZero() {
        Map<String, Long> before = counters(10, 90, 0);
        before.remove("parked");

        assertThat(ChannelResult.counterDelta(before, counters(20, 180, 4)))
                .isEqualTo("received 10, stored 90, parked 4");
    }

    @Test
    void shouldSayWhenTheCountersCouldNotBeRead() {
        assertThat(ChannelResult.counterDelta(null, counters(1, 1, 1))).isEqualTo("not available");
        assertThat(ChannelResult.counterDelta(Map.of(), Map.of())).isEqualTo("none");
    }
}
