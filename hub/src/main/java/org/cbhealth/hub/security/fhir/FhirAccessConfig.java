package org.cbhealth.hub.security.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import jakarta.persistence.EntityManagerFactory;
import org.cbhealth.hub.audit.HubAudit;
import org.cbhealth.hub.partner.PartnerOrganizations;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Authorization on {@code /fhir}: HAPI's authorization and consent interceptors with the hub's rules, the partner
 * request guard, the partner write guard and the write Provenance, registered on the RestfulServer (so they see the
 * REST interactions only, never the hub's own storage); the label keeper on the storage interceptor service (every
 * write). See {@code docs/isolation.md}.
 */
@Configuration
public class FhirAccessConfig {

    @Bean
    public FhirDenials fhirDenials(HubAudit audit) {
        return new FhirDenials(audit);
    }

    @Bean
    public HubAuthorizationInterceptor hubAuthorizationInterceptor(
            RestfulServer fhirRestfulServer, FhirContext fhirContext, FhirDenials denials) {
        HubAuthorizationInterceptor interceptor = new HubAuthorizationInterceptor(fhirContext, denials);
        fhirRestfulServer.registerInterceptor(interceptor);
        return interceptor;
    }

    @Bean
    public ConsentInterceptor referralConsentInterceptor(RestfulServer fhirRestfulServer, FhirDenials denials) {
        ConsentInterceptor interceptor = new ConsentInterceptor(new ReferralConsentService(denials));
        fhirRestfulServer.registerInterceptor(new ConsentBypass());
        fhirRestfulServer.registerInterceptor(interceptor);
        return interceptor;
    }

    @Bean
    public PartnerRequestGuard partnerRequestGuard(RestfulServer fhirRestfulServer, FhirDenials denials) {
        PartnerRequestGuard guard = new PartnerRequestGuard(denials);
        fhirRestfulServer.registerInterceptor(guard);
        return guard;
    }

    @Bean
    public PartnerWriteGuard partnerWriteGuard(
            RestfulServer fhirRestfulServer, PartnerOrganizations organizations, FhirDenials denials) {
        PartnerWriteGuard guard = new PartnerWriteGuard(organizations, denials);
        fhirRestfulServer.registerInterceptor(guard);
        return guard;
    }

    @Bean
    public FhirWriteProvenance fhirWriteProvenance(
            RestfulServer fhirRestfulServer,
            DaoRegistry daos,
            PartnerRegistry registry,
            PartnerOrganizations organizations,
            EntityManagerFactory entityManagerFactory) {
        FhirWriteProvenance provenance = new FhirWriteProvenance(daos, registry, organizations, entityManagerFactory);
        fhirRestfulServer.registerInterceptor(provenance);
        return provenance;
    }

    @Bean
    public ReferralLabelKeeper referralLabelKeeper(IInterceptorService interceptors) {
        ReferralLabelKeeper keeper = new ReferralLabelKeeper();
        interceptors.registerInterceptor(keeper);
        return keeper;
    }
}
