package org.cbhealth.hub.support;

import ca.uhn.fhir.context.FhirContext;
import java.util.UUID;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Resource;

/** Directory resources for tests that conform to the CBHealth profiles (identifier, country, active). */
public final class DirectoryFixtures {

    /** Identifier system of test organizations; real partners use their national registries. */
    public static final String TEST_REGISTRY = "urn:oid:1.3.6.1.4.1.58762.1.1";

    private DirectoryFixtures() {}

    /** A partner organization with a fresh registry number. */
    public static Organization organization(String name, String country) {
        Organization org = new Organization().setName(name).setActive(true);
        org.addIdentifier().setSystem(TEST_REGISTRY).setValue(UUID.randomUUID().toString());
        org.addAddress().setCountry(country);
        return org;
    }

    /**
     * A catalogue entry with a shared specialty, one language spoken and cross-border referrals accepted;
     * the caller sets {@code providedBy}.
     */
    public static HealthcareService healthcareService(String name, String sharedSpecialty, String language) {
        HealthcareService service = new HealthcareService().setName(name).setActive(true);
        service.addSpecialty().addCoding().setSystem(CbhCanonical.CS_SPECIALTY).setCode(sharedSpecialty);
        service.addCommunication().addCoding().setSystem("urn:ietf:bcp:47").setCode(language);
        Extension crossBorder = service.addExtension().setUrl(CbhCanonical.EXT_CROSS_BORDER_REFERRAL);
        crossBorder.addExtension("accepts", new BooleanType(true));
        return service;
    }

    /** FHIR JSON of a resource, as a partner would send it. */
    public static String json(Resource resource) {
        return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(resource);
    }

    /** A transaction Bundle that creates the resources (POST), each under its own id as fullUrl (urn:uuid:...). */
    public static Bundle transaction(Resource... resources) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource r : resources) {
            transaction
                    .addEntry()
                    .setFullUrl(r.getId())
                    .setResource(r)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl(r.fhirType());
        }
        return transaction;
    }
}
