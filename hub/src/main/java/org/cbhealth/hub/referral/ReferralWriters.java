package org.cbhealth.hub.referral;

import ca.uhn.fhir.context.FhirContext;
import org.cbhealth.hub.partner.PartnerDefinition;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.routes.partner.NoTranslatorException;
import org.cbhealth.routes.referral.out.FhirReferralWriter;
import org.cbhealth.routes.referral.out.Hl7ReferralWriter;
import org.cbhealth.routes.referral.out.ReferralWriter;
import org.springframework.stereotype.Component;

/**
 * The writer of a partner's format, from its outbound channel kind: FHIR (a transaction Bundle it can post to its
 * own server as it is) for JMS and FHIR REST push, HL7 v2.5.1 (REF^I12, status as RRI^I12) for MLLP.
 */
@Component
public class ReferralWriters {

    private final ReferralWriter fhir;
    private final ReferralWriter hl7;

    public ReferralWriters(FhirContext fhirContext, CbhConformanceResources conformance) {
        this.fhir = new FhirReferralWriter(fhirContext);
        var oids = Hl7ReferralWriter.oidsOf(conformance.all());
        this.hl7 = new Hl7ReferralWriter(oids);
    }

    public ReferralWriter forPartner(PartnerDefinition partner) {
        return switch (partner.outbound().kind()) {
            case JMS, FHIR_REST -> fhir;
            case MLLP -> hl7;
            case SOAP -> throw new NoTranslatorException(
                    "this hub version writes no SOAP referrals yet; the notice stays in the outbox");
        };
    }
}
