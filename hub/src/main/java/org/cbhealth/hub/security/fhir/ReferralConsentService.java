package org.cbhealth.hub.security.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentService;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.cbhealth.hub.security.HubPrincipal;
import org.cbhealth.hub.security.HubPrincipal.StaffRole;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Which resources a caller sees, for HAPI's {@code ConsentInterceptor}: every resource a read, search, include,
 * history, page or batch entry would return passes {@link ReferralAccess#maySee}; the others are withheld as if they
 * did not exist (a read of one answers 404). A request that had anything withheld is audited once, at the first
 * resource withheld (before the answer goes out).
 * Integrators are not filtered (and may ask for totals; for everyone else HAPI suppresses {@code Bundle.total}).
 */
public class ReferralConsentService implements IConsentService {

    private static final String WITHHELD = ReferralConsentService.class.getName() + ".withheld";

    private final FhirDenials denials;

    public ReferralConsentService(FhirDenials denials) {
        this.denials = denials;
    }

    @Override
    public ConsentOutcome startOperation(RequestDetails request, IConsentContextServices services) {
        FhirDenials.remember(request);
        Optional<HubPrincipal> caller = FhirDenials.caller(request);
        if (caller.isPresent() && caller.get().has(StaffRole.INTEGRATOR)) {
            return ConsentOutcome.AUTHORIZED;
        }
        return ConsentOutcome.PROCEED;
    }

    @Override
    public ConsentOutcome canSeeResource(
            RequestDetails request, IBaseResource resource, IConsentContextServices services) {
        return decide(request, resource);
    }

    @Override
    public ConsentOutcome willSeeResource(
            RequestDetails request, IBaseResource resource, IConsentContextServices services) {
        return decide(request, resource);
    }

    private ConsentOutcome decide(RequestDetails request, IBaseResource resource) {
        if (resource == null
                || "OperationOutcome".equals(resource.fhirType())
                || "Bundle".equals(resource.fhirType())) {
            // the answer's envelope, not stored data
            return ConsentOutcome.PROCEED;
        }
        Optional<HubPrincipal> caller = FhirDenials.caller(request);
        if (caller.isPresent() && ReferralAccess.maySee(caller.get(), resource)) {
            return ConsentOutcome.PROCEED;
        }
        Map<String, Integer> withheld = withheld(request);
        if (withheld.isEmpty()) {
            // audited now, before the answer goes out (HAPI reports a request's completion only after that)
            denials.record(
                    request,
                    FhirDenials.action(request),
                    FhirDenials.target(request),
                    "resources not labelled for the caller were withheld (the first: " + resource.fhirType() + ")");
        }
        withheld.merge(resource.fhirType(), 1, Integer::sum);
        return ConsentOutcome.REJECT;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer> withheld(RequestDetails request) {
        return (Map<String, Integer>) request.getUserData().computeIfAbsent(WITHHELD, k -> new TreeMap<>());
    }
}
