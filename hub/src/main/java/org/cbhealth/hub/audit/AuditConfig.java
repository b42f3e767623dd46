package org.cbhealth.hub.audit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import org.cbhealth.hub.partner.PartnerOrganizations;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail's parts: the {@link AuditEventWriter} storing into the hub's own FHIR store through the DAO
 * (with {@link SystemRequestDetails}, so no REST interceptor, BALP included, sees the audit writes), and HAPI's
 * IHE BALP interceptor for the REST interactions on {@code /fhir}, registered on the RestfulServer by
 * {@code FhirServerConfig}.
 */
@Configuration
public class AuditConfig {

    @Bean
    public AuditEventWriter auditEventWriter(
            DaoRegistry daos,
            PlatformTransactionManager transactionManager,
            AuditProperties properties,
            MeterRegistry meters) {
        TransactionTemplate ownTransaction = new TransactionTemplate(transactionManager);
        // a refusal rolls back the caller's transaction; the audit of it stays
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        AuditEventWriter.Store store = batch -> ownTransaction.executeWithoutResult(status -> {
            IFhirResourceDao<AuditEvent> dao = daos.getResourceDao(AuditEvent.class);
            SystemRequestDetails system = AuditEventWriter.auditWrite();
            for (AuditEvent event : batch) {
                dao.create(event, system);
            }
        });
        return new AuditEventWriter(store, properties, meters);
    }

    @Bean
    public RestAuditContext restAuditContext(PartnerRegistry registry, PartnerOrganizations organizations) {
        return new RestAuditContext(registry, organizations);
    }

    /** IHE BALP: an AuditEvent per read, vread, search, create, update and delete on {@code /fhir}. */
    @Bean
    public BalpAuditCaptureInterceptor balpAuditCaptureInterceptor(AuditEventWriter writer, RestAuditContext context) {
        return new BalpAuditCaptureInterceptor(event -> writer.write(RestAuditContext.withAltId(event)), context);
    }
}
