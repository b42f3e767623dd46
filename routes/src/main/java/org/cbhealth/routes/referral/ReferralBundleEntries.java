package org.cbhealth.routes.referral;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** The entries every referral translator writes into its transaction Bundle. */
final class ReferralBundleEntries {

    private ReferralBundleEntries() {}

    /**
     * Adds a conditional create on the resource's first identifier; returns the reference to use inside the Bundle.
     * The entry's {@code urn:uuid} is derived from the sending partner, the placer number and that identifier, so the
     * same referral translated again yields the same Bundle.
     */
    static Reference conditionalCreate(Bundle bundle, Resource resource, String partnerId, String placer) {
        Identifier identifier =
                (Identifier) resource.getNamedProperty("identifier").getValues().get(0);
        String key = partnerId + "|" + placer + "|" + resource.fhirType() + "|" + identifier.getSystem() + "|"
                + identifier.getValue();
        String fullUrl = "urn:uuid:" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
        bundle.addEntry()
                .setFullUrl(fullUrl)
                .setResource(resource)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl(resource.fhirType())
                .setIfNoneExist("identifier="
                        + URLEncoder.encode(
                                identifier.getSystem() + "|" + identifier.getValue(), StandardCharsets.UTF_8));
        return new Reference(fullUrl);
    }
}
