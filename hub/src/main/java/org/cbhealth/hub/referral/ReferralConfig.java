package org.cbhealth.hub.referral;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import org.cbhealth.hub.partner.PartnerOrganizations;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The referral workflow registered as a FHIR storage interceptor, relaying its notices after each commit. */
@Configuration
public class ReferralConfig {

    @Bean
    public ReferralWorkflowInterceptor referralWorkflowInterceptor(
            PartnerOrganizations organizations,
            PartnerRegistry registry,
            JdbcTemplate jdbc,
            ReferralOutbox outbox,
            ObjectProvider<ReferralDeliveryRelay> relay,
            IInterceptorService interceptors) {
        ReferralWorkflowInterceptor interceptor = new ReferralWorkflowInterceptor(
                organizations, registry, jdbc, outbox, () -> relay.getObject().kick());
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }
}
