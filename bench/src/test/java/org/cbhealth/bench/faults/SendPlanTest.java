package org.cbhealth.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SendPlanTest {

    private static final List<SendChannel> TWO = List.of(SendChannel.MLLP, SendChannel.JMS);

    @Test
    void shouldChooseTheSharesOfPoisonAndDuplicatesWithoutOverlap() {
        SendPlan plan = SendPlan.of(1000, TWO, 0.01, 0.02, 7);

        assertThat(plan.poisonCount()).isEqualTo(10);
        assertThat(plan.duplicateCount()).isEqualTo(20);
        for (int i = 0; i < 1000; i++) {
            assertThat(plan.poison(i) && plan.duplicated(i))
                    .as("referral %d", i)
                    .isFalse();
        }
    }

    @Test
    void shouldSendEveryReferralOnceAndEachDuplicateOnceMoreAfterIt() {
        SendPlan plan = SendPlan.of(300, TWO, 0.01, 0.05, 11);

        Map<Integer, Integer> firstAt = new HashMap<>();
        Map<Integer, Integer> duplicateAt = new HashMap<>();
        List<SendPlan.Send> order = plan.order();
        for (int k = 0; k < order.size(); k++) {
            SendPlan.Send send = order.get(k);
            Integer earlier = (send.duplicate() ? duplicateAt : firstAt).put(send.index(), k);
            assertThat(earlier).as("send %s twice", send).isNull();
        }
        assertThat(order).hasSize(300 + 15);
        assertThat(firstAt).hasSize(300);
        assertThat(duplicateAt).hasSize(15);
        duplicateAt.forEach((index, k) -> {
            assertThat(plan.duplicated(index)).isTrue();
            assertThat(k).isGreaterThan(firstAt.get(index));
        });
    }

    @Test
    void shouldAlternateChannelsAndRepeatTheSameChoiceForTheSameSeed() {
        SendPlan a = SendPlan.of(500, TWO, 0.01, 0.01, 42);
        SendPlan b = SendPlan.of(500, TWO, 0.01, 0.01, 42);

        assertThat(a.channel(0)).isEqualTo(SendChannel.MLLP);
        assertThat(a.channel(1)).isEqualTo(SendChannel.JMS);
        assertThat(a.channel(2)).isEqualTo(SendChannel.MLLP);
        assertThat(a.order()).isEqualTo(b.order());
        for (int i = 0; i < 500; i++) {
            assertThat(a.poison(i)).isEqualTo(b.poison(i));
        }
    }

    @Test
    void shouldPlanNoFaultsWhenTheSharesAreZero() {
        SendPlan plan = SendPlan.of(100, List.of(SendChannel.MLLP), 0, 0, 1);

        assertThat(plan.poisonCount()).isZero();
        assertThat(plan.duplicateCount()).isZero();
        assertThat(plan.order()).hasSize(100).noneMatch(SendPlan.Send::duplicate);
    }
}
