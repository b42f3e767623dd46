package org.cbhealth.hub.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cbhealth.hub.referral.ReferralDeliveryRelay;
import org.cbhealth.hub.referral.ReferralOutbox;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The referral outbox for integrators: how many deliveries and status notices are sent and pending, each pending
 * one with its partner, Task, attempts and last error (partner and Task ids only, no patient data), and a relay
 * run on demand (after fixing a partner's outbound channel, say).
 */
@RestController
@RequestMapping(path = "/api/admin/referrals", produces = MediaType.APPLICATION_JSON_VALUE)
public class ReferralAdminController {

    private final ReferralOutbox outbox;
    private final ReferralDeliveryRelay relay;

    public ReferralAdminController(ReferralOutbox outbox, ReferralDeliveryRelay relay) {
        this.outbox = outbox;
        this.relay = relay;
    }

    @GetMapping("/outbox")
    public Map<String, Object> outbox() {
        ReferralOutbox.Stats stats = outbox.stats();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sent", stats.sent());
        answer.put("pending", stats.pending());
        answer.put("failing", stats.failing());
        answer.put("entries", outbox.pending());
        return answer;
    }

    @PostMapping("/outbox/relay")
    public Map<String, Object> relayNow() {
        return Map.of("sent", relay.relay());
    }
}
