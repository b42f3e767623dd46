package org.cbhealth.hub.referral;

import org.cbhealth.hub.partner.PartnerDefinition;
import org.cbhealth.routes.partner.NoTranslatorException;
import org.cbhealth.routes.referral.out.ReferralWriter;
import org.springframework.stereotype.Component;

/** The writer of a partner's format, from its outbound channel kind. */
@Component
public class ReferralWriters {

    public ReferralWriter forPartner(PartnerDefinition partner) {
        throw new NoTranslatorException(
                "no writer yet for " + partner.outbound().kind());
    }
}
