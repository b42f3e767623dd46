package org.cbhealth.profiles;

/**
 * Every canonical URL and identifier/code system URI of the CBHealth Hub, as full literals, in one place.
 * Conformance resources under {@code cbhealth/fhir/} use exactly these URLs.
 */
public final class CbhCanonical {

    private CbhCanonical() {}

    /** Base of all CBHealth canonical URLs. */
    public static final String BASE = "https://fhir.cbhealth.eu";

    // ---- profiles (StructureDefinition) ----
    public static final String PROFILE_ORGANIZATION = "https://fhir.cbhealth.eu/StructureDefinition/cbh-organization";
    public static final String PROFILE_LOCATION = "https://fhir.cbhealth.eu/StructureDefinition/cbh-location";
    public static final String PROFILE_HEALTHCARE_SERVICE =
            "https://fhir.cbhealth.eu/StructureDefinition/cbh-healthcareservice";
    public static final String PROFILE_PRACTITIONER = "https://fhir.cbhealth.eu/StructureDefinition/cbh-practitioner";
    public static final String PROFILE_PRACTITIONER_ROLE =
            "https://fhir.cbhealth.eu/StructureDefinition/cbh-practitionerrole";
    public static final String PROFILE_ENDPOINT = "https://fhir.cbhealth.eu/StructureDefinition/cbh-endpoint";
    public static final String PROFILE_ORGANIZATION_AFFILIATION =
            "https://fhir.cbhealth.eu/StructureDefinition/cbh-organizationaffiliation";
    public static final String PROFILE_PATIENT = "https://fhir.cbhealth.eu/StructureDefinition/cbh-patient";
    public static final String PROFILE_SERVICE_REQUEST =
            "https://fhir.cbhealth.eu/StructureDefinition/cbh-servicerequest";
    public static final String PROFILE_TASK = "https://fhir.cbhealth.eu/StructureDefinition/cbh-task";

    // ---- extensions ----
    public static final String EXT_CROSS_BORDER_REFERRAL =
            "https://fhir.cbhealth.eu/StructureDefinition/cbh-cross-border-referral";
    /** The word-start and Latin-ASCII forms of a resource's names that the hub indexes for name search. */
    public static final String EXT_SEARCH_NAME = "https://fhir.cbhealth.eu/StructureDefinition/cbh-search-name";
    /** FHIR core: a translation of a string element, with sub-extensions {@code lang} and {@code content}. */
    public static final String EXT_TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation";

    // ---- search parameters ----
    /** Name in any script (Organization, Location, HealthcareService): names, aliases and cbh-search-name. */
    public static final String SP_SEARCH_NAME = "https://fhir.cbhealth.eu/SearchParameter/cbh-search-name";
    /** Its code, the search parameter the hub answers a plain {@code name} search of these types with. */
    public static final String SP_SEARCH_NAME_CODE = "search-name";
    /** Languages spoken at a HealthcareService ({@code language=uk}). */
    public static final String SP_HEALTHCARE_SERVICE_LANGUAGE =
            "https://fhir.cbhealth.eu/SearchParameter/cbh-healthcareservice-language";

    // ---- terminology ----
    public static final String CS_SPECIALTY = "https://fhir.cbhealth.eu/CodeSystem/cbh-specialty";
    public static final String VS_SPECIALTY = "https://fhir.cbhealth.eu/ValueSet/cbh-specialty";
    /**
     * Referral access labels ({@code meta.security}): one coding per partner entitled to see a referral resource (the
     * referring and the receiving partner), code = the partner id.
     */
    public static final String CS_REFERRAL_ACCESS = "https://fhir.cbhealth.eu/CodeSystem/referral-access";

    public static final String CS_TASK_BUSINESS_STATUS = "https://fhir.cbhealth.eu/CodeSystem/cbh-task-business-status";
    public static final String VS_TASK_BUSINESS_STATUS = "https://fhir.cbhealth.eu/ValueSet/cbh-task-business-status";
    /** Steps of a partner's message through the hub, and refused access (AuditEvent.subtype of the hub's own). */
    public static final String CS_AUDIT_STEP = "https://fhir.cbhealth.eu/CodeSystem/audit-step";
    /** Kinds of partnership between partner organizations (OrganizationAffiliation.code). */
    public static final String CS_PARTNERSHIP = "https://fhir.cbhealth.eu/CodeSystem/cbh-partnership";
    /** Two partners that list each other in {@code referralPartners}: they exchange referrals across the border. */
    public static final String PARTNERSHIP_CROSS_BORDER_REFERRAL = "cross-border-referral";

    /** Partners' local specialty code systems (source systems of the specialty ConceptMaps). */
    public static final String CS_BG_NHIF_SPECIALTY = "https://fhir.cbhealth.eu/CodeSystem/bg-nhif-specialty";

    public static final String CS_MK_SPECIALTY = "https://fhir.cbhealth.eu/CodeSystem/mk-specialty";
    public static final String CS_SI_ZZZS_SPECIALTY = "https://fhir.cbhealth.eu/CodeSystem/si-zzzs-specialty";
    public static final String CS_UA_SPECIALTY = "https://fhir.cbhealth.eu/CodeSystem/ua-specialty";

    // ---- partners' own identifiers, namespaced per partner ----
    /** Base of the identifier systems of a partner's own records (departments, referrals, staff). */
    public static final String PARTNER_IDENTIFIER_BASE = "https://fhir.cbhealth.eu/sid/partner/";

    /**
     * The identifier system of one kind of a partner's own records, e.g. {@code
     * https://fhir.cbhealth.eu/sid/partner/mk-kb-stip/department}: two partners' "dept-1" never collide.
     */
    public static String partnerIdentifierSystem(String partnerId, String kind) {
        return PARTNER_IDENTIFIER_BASE + partnerId + "/" + kind;
    }

    /** Base of the code systems of a partner's own code lists that have no shared URI (service types, …). */
    public static final String PARTNER_CODE_SYSTEM_BASE = "https://fhir.cbhealth.eu/CodeSystem/partner/";

    /**
     * The code system of one of a partner's own code lists, e.g. {@code
     * https://fhir.cbhealth.eu/CodeSystem/partner/mk-kb-stip/service-type}; a ConceptMap whose source is this URI maps
     * the list to a shared one.
     */
    public static String partnerCodeSystem(String partnerId, String kind) {
        return PARTNER_CODE_SYSTEM_BASE + partnerId + "/" + kind;
    }

    /**
     * The hub's referral number: the logical id of the referral's Task at the hub. Every delivered referral carries
     * it, and partners quote it in their status updates.
     */
    public static final String SID_HUB_REFERRAL = "https://fhir.cbhealth.eu/sid/referral";

    /**
     * The hub's partnerships (OrganizationAffiliation.identifier): {@code <organization's partner id>/<participating
     * partner's id>}, e.g. {@code bg-mbal-blagoevgrad/mk-kb-stip}.
     */
    public static final String SID_PARTNERSHIP = "https://fhir.cbhealth.eu/sid/partnership";

    // ---- national personal identifiers (NamingSystem uniqueId of type uri) ----
    public static final String SID_BG_EGN = "https://fhir.cbhealth.eu/sid/bg-egn";
    public static final String SID_MK_EMBG = "https://fhir.cbhealth.eu/sid/mk-embg";
    public static final String SID_SI_EMSO = "https://fhir.cbhealth.eu/sid/si-emso";
    public static final String SID_UA_RNOKPP = "https://fhir.cbhealth.eu/sid/ua-rnokpp";
    public static final String SID_PL_PESEL = "https://fhir.cbhealth.eu/sid/pl-pesel";
    public static final String SID_EE_ISIKUKOOD = "https://fhir.cbhealth.eu/sid/ee-isikukood";
    public static final String SID_LT_ASMENS_KODAS = "https://fhir.cbhealth.eu/sid/lt-asmens-kodas";
    public static final String SID_LV_PERSONAS_KODS = "https://fhir.cbhealth.eu/sid/lv-personas-kods";
    public static final String SID_AT_SVNR = "https://fhir.cbhealth.eu/sid/at-svnr";
}
