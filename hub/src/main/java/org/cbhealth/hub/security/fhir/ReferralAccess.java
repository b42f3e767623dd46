package org.cbhealth.hub.security.fhir;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.cbhealth.hub.security.HubPrincipal;
import org.cbhealth.hub.security.HubPrincipal.StaffRole;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.instance.model.api.IBaseCoding;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Who may see what on {@code /fhir}: the directory and conformance types are public to every authenticated caller;
 * any other resource a partner sees only when it carries the partner's referral access label ({@code meta.security}
 * {@value CbhCanonical#CS_REFERRAL_ACCESS}, code = partner id); staff see referrals from role coordinator on and the
 * audit trail as integrators.
 */
public final class ReferralAccess {

    private ReferralAccess() {}

    /** The directory (IHE mCSD) types: readable by everyone authenticated, written by their partner only. */
    public static final Set<String> DIRECTORY_TYPES = Set.of(
            "Organization",
            "Location",
            "HealthcareService",
            "Practitioner",
            "PractitionerRole",
            "Endpoint",
            "OrganizationAffiliation");

    /** The conformance types: public, read-only for partners. */
    public static final Set<String> CONFORMANCE_TYPES = Set.of(
            "StructureDefinition",
            "ValueSet",
            "CodeSystem",
            "ConceptMap",
            "NamingSystem",
            "SearchParameter",
            "CapabilityStatement");

    /** The types a stored referral is made of (and its Provenance). */
    public static final Set<String> REFERRAL_TYPES =
            Set.of("Patient", "ServiceRequest", "Task", "Condition", "Observation", "DocumentReference", "Provenance");

    /** The prefix of {@code meta.source} of everything a partner sent or wrote. */
    public static String sourcePrefix(String partnerId) {
        return CbhCanonical.BASE + "/partner/" + partnerId + "/";
    }

    /** Directory and conformance types: no label needed. */
    public static boolean isPublic(String resourceType) {
        return DIRECTORY_TYPES.contains(resourceType) || CONFORMANCE_TYPES.contains(resourceType);
    }

    /** The partners a resource is labelled for. */
    public static Set<String> labels(IBaseResource resource) {
        Set<String> labels = new LinkedHashSet<>();
        for (IBaseCoding coding : resource.getMeta().getSecurity()) {
            if (CbhCanonical.CS_REFERRAL_ACCESS.equals(coding.getSystem()) && coding.getCode() != null) {
                labels.add(coding.getCode());
            }
        }
        return labels;
    }

    /** Adds the labels the resource does not carry yet; true if it had to. */
    public static boolean label(IBaseResource resource, Collection<String> partnerIds) {
        Set<String> present = labels(resource);
        boolean added = false;
        for (String partnerId : partnerIds) {
            if (partnerId != null && !present.contains(partnerId)) {
                resource.getMeta()
                        .addSecurity()
                        .setSystem(CbhCanonical.CS_REFERRAL_ACCESS)
                        .setCode(partnerId)
                        .setDisplay("referral access: " + partnerId);
                added = true;
            }
        }
        return added;
    }

    /** Whether the caller may see this resource at all (type and label); the type rules come first. */
    public static boolean maySee(HubPrincipal caller, IBaseResource resource) {
        String type = resourceType(resource);
        if (caller.isPartner()) {
            return isPublic(type) || labels(resource).contains(caller.name());
        }
        if (caller.has(StaffRole.INTEGRATOR)) {
            return true;
        }
        if (caller.has(StaffRole.COORDINATOR)) {
            return !"AuditEvent".equals(type);
        }
        return caller.has(StaffRole.VIEWER) && isPublic(type);
    }

    /** Whether the caller may see every resource of the type, whatever its labels. */
    public static boolean maySeeEvery(HubPrincipal caller, String type) {
        if (caller.has(StaffRole.INTEGRATOR)) {
            return true;
        }
        if (caller.has(StaffRole.COORDINATOR)) {
            return !"AuditEvent".equals(type);
        }
        return isPublic(type);
    }

    static String resourceType(IBaseResource resource) {
        return resource.fhirType();
    }
}
