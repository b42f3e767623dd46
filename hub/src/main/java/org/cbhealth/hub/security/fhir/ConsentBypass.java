package org.cbhealth.hub.security.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import java.util.Map;
import org.cbhealth.hub.security.HubPrincipal;
import org.cbhealth.hub.security.HubPrincipal.StaffRole;

/**
 * Skips consent for a whole request where it could withhold nothing, before HAPI's consent interceptor runs: HAPI 8
 * refuses {@code _summary=count} and {@code _total=accurate} (400, "not permitted on this server") for every request
 * consent applies to, even one its service authorizes, so without this no one could count.
 *
 * <ul>
 *   <li>An integrator sees everything.
 *   <li>A search of one type that names no other type ({@code _include}, {@code _revinclude}, {@code _has}, {@code
 *       _contained}) returns resources of that type only; when the caller may see every resource of it (the
 *       directory and conformance types for everyone, any type but AuditEvent for a coordinator), nothing can be
 *       withheld. So partners and viewers count the directory, and coordinators count referrals too.
 * </ul>
 */
@Interceptor(order = AuthorizationConstants.ORDER_CONSENT_INTERCEPTOR - 1)
public class ConsentBypass {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void preHandled(RequestDetails request, RestOperationTypeEnum operation) {
        if (HubPrincipal.current()
                .filter(caller -> caller.has(StaffRole.INTEGRATOR)
                        || withholdsNothing(caller, request.getResourceName(), operation, request.getParameters()))
                .isPresent()) {
            ConsentInterceptor.skipAllConsentForRequest(request);
        }
    }

    /** Whether the request can only answer with resources of a type the caller may see every one of. */
    static boolean withholdsNothing(
            HubPrincipal caller, String type, RestOperationTypeEnum operation, Map<String, String[]> parameters) {
        if (operation != RestOperationTypeEnum.SEARCH_TYPE
                || type == null
                || !ReferralAccess.maySeeEvery(caller, type)) {
            return false;
        }
        return parameters.keySet().stream()
                .noneMatch(name -> name.startsWith("_include")
                        || name.startsWith("_revinclude")
                        || name.startsWith("_has")
                        || name.startsWith("_contained"));
    }
}
