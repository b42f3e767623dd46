package org.cbhealth.hub.security.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Every new version of a labelled resource keeps its referral access labels, whoever writes it and whatever its
 * {@code meta} says: a Task update by a partner or a status update cannot take a party's access away (registered on
 * the storage interceptor service, so it applies to every write).
 */
@Interceptor
public class ReferralLabelKeeper {

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource previous, IBaseResource updated) {
        ReferralAccess.label(updated, ReferralAccess.labels(previous));
    }
}
