package org.cbhealth.hub.support;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import org.cbhealth.hub.audit.HubAudit;
import org.hl7.fhir.r4.model.AuditEvent;

/** The AuditEvents the hub wrote, read from its store; ITs assert auditing through this only. */
public final class AuditTrail {

    private final DaoRegistry daos;

    public AuditTrail(DaoRegistry daos) {
        this.daos = daos;
    }

    /** Every AuditEvent of the step (subtype) that names the partner as an agent (altId), oldest first. */
    public List<AuditEvent> of(HubAudit.Step step, String partnerId) {
        SearchParameterMap query = SearchParameterMap.newSynchronous()
                .add(AuditEvent.SP_SUBTYPE, new TokenParam(HubAudit.STEP_SYSTEM, step.code()));
        if (partnerId != null) {
            query.add(AuditEvent.SP_ALTID, new TokenParam(partnerId));
        }
        IBundleProvider found = daos.getResourceDao(AuditEvent.class).search(query, new SystemRequestDetails());
        return found.getAllResources().stream()
                .map(AuditEvent.class::cast)
                .sorted((a, b) -> a.getRecorded().compareTo(b.getRecorded()))
                .toList();
    }

    /** The denials recorded for the partner (or staff user, by its altId). */
    public List<AuditEvent> denials(String partnerId) {
        return of(HubAudit.Step.DENIED, partnerId);
    }
}
