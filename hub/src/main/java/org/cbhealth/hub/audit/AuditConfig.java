package org.cbhealth.hub.audit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import org.cbhealth.hub.partner.PartnerOrganizations;
import org.cbhealth.hub.partner.PartnerRegistry;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
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
        // a batch is one FHIR transaction of its own, HAPI's (which wants none active): a caller storing its event
        // itself has its transaction set aside meanwhile, so a refusal rolls back the caller's and its audit stays.
        // HAPI resolves the references of all the batch's events at once; created one by one, each event's
        // references were looked up on their own, each lookup flushing the growing session.
        TransactionTemplate outsideCallers = new TransactionTemplate(transactionManager);
        outsideCallers.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
        AuditEventWriter.Store store = batch -> outsideCallers.executeWithoutResult(status -> {
            Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            for (AuditEvent event : batch) {
                transaction
                        .addEntry()
                        .setResource(event)
                        .getRequest()
                        .setMethod(Bundle.HTTPVerb.POST)
                        .setUrl("AuditEvent");
            }
            daos.getSystemDao().transaction(AuditEventWriter.auditWrite(), transaction);
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
        // a write's event is made before the commit and names the new version: handed over when the commit is done
        return new BalpAuditCaptureInterceptor(
                event -> writer.writeAtCompletion(RestAuditContext.withAltId(event)), context);
    }
}
