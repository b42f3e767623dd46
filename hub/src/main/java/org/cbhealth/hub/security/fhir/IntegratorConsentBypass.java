package org.cbhealth.hub.security.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import org.cbhealth.hub.security.HubPrincipal;
import org.cbhealth.hub.security.HubPrincipal.StaffRole;

/**
 * An integrator sees everything, so consent is skipped for the whole request, before HAPI's consent interceptor
 * runs: HAPI 8 refuses {@code _summary=count} and {@code _total=accurate} for every request consent applies to,
 * even one its service authorizes, so without this no one could count.
 */
@Interceptor(order = AuthorizationConstants.ORDER_CONSENT_INTERCEPTOR - 1)
public class IntegratorConsentBypass {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void preHandled(RequestDetails request) {
        if (HubPrincipal.current()
                .filter(caller -> caller.has(StaffRole.INTEGRATOR))
                .isPresent()) {
            ConsentInterceptor.skipAllConsentForRequest(request);
        }
    }
}
