package org.cbhealth.hub.audit;

import java.util.List;
import org.cbhealth.hub.partner.PartnerCounters;
import org.cbhealth.routes.partner.PartnerEvents;
import org.springframework.stereotype.Component;

/**
 * The delivery routes' events: counted by {@link PartnerCounters}, and each delivery audited as the exchange step
 * {@code delivered} of the receiving partner. (Refused messages are audited once their parked copy is kept, by
 * {@code ParkedStoreRoutes}: every channel parks through the one parked queue.)
 */
@Component
public class AuditedPartnerEvents implements PartnerEvents {

    /** The channel name of a partner's delivery channel in the audit trail. */
    public static final String OUTBOUND = "outbound";

    private final PartnerCounters counters;
    private final HubAudit audit;

    public AuditedPartnerEvents(PartnerCounters counters, HubAudit audit) {
        this.counters = counters;
        this.audit = audit;
    }

    @Override
    public void parked(String partnerId) {
        counters.parked(partnerId);
    }

    @Override
    public void delivered(String partnerId) {
        delivered(partnerId, null);
    }

    @Override
    public void delivered(String partnerId, String businessKey) {
        counters.delivered(partnerId);
        audit.exchange(new HubAudit.Exchange(
                HubAudit.Step.DELIVERED, partnerId, OUTBOUND, businessKey, List.of(), HubAudit.Outcome.SUCCESS, null));
    }

    @Override
    public void deliveryFailed(String partnerId) {
        counters.deliveryFailed(partnerId);
    }

    @Override
    public void pollFailed(String partnerId) {
        counters.pollFailed(partnerId);
    }
}
