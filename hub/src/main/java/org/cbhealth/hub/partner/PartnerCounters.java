package org.cbhealth.hub.partner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cbhealth.routes.partner.PartnerEvents;
import org.springframework.stereotype.Component;

/**
 * Per-partner message counters, as Micrometer counters {@code cbhealth.partner.messages{partner, stage}}
 * (so Prometheus has them) and read back for the admin API. Stages: received, translated, stored, delivered,
 * failed, parked.
 */
@Component
public class PartnerCounters implements PartnerEvents {

    public enum Stage {
        RECEIVED,
        TRANSLATED,
        STORED,
        DELIVERED,
        FAILED,
        PARKED
    }

    private static final String METER = "cbhealth.partner.messages";

    private final MeterRegistry registry;

    public PartnerCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String partnerId, Stage stage) {
        count(partnerId, stage, 1);
    }

    public void count(String partnerId, Stage stage, long amount) {
        if (partnerId != null && amount > 0) {
            counter(partnerId, stage).increment(amount);
        }
    }

    /** The counts of one partner since the hub started, by stage name. */
    public Map<String, Long> of(String partnerId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Stage stage : Stage.values()) {
            counts.put(stage.name().toLowerCase(java.util.Locale.ROOT), (long)
                    counter(partnerId, stage).count());
        }
        return counts;
    }

    @Override
    public void parked(String partnerId) {
        count(partnerId, Stage.PARKED);
    }

    @Override
    public void delivered(String partnerId) {
        count(partnerId, Stage.DELIVERED);
    }

    @Override
    public void deliveryFailed(String partnerId) {
        count(partnerId, Stage.FAILED);
    }

    @Override
    public void pollFailed(String partnerId) {
        count(partnerId, Stage.FAILED);
    }

    private Counter counter(String partnerId, Stage stage) {
        return Counter.builder(METER)
                .description("Messages of a partner by processing stage")
                .tag("partner", partnerId)
                .tag("stage", stage.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry);
    }
}
