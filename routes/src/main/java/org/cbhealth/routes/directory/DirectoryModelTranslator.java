package org.cbhealth.routes.directory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.directory.model.AffiliationRecord;
import org.cbhealth.routes.directory.model.CatalogueRead;
import org.cbhealth.routes.directory.model.Code;
import org.cbhealth.routes.directory.model.DepartmentRecord;
import org.cbhealth.routes.directory.model.DirectoryCatalogue;
import org.cbhealth.routes.directory.model.EndpointRecord;
import org.cbhealth.routes.directory.model.LocalizedText;
import org.cbhealth.routes.directory.model.PersonName;
import org.cbhealth.routes.directory.model.PractitionerRecord;
import org.cbhealth.routes.directory.model.PractitionerRoleRecord;
import org.cbhealth.routes.directory.model.Qualification;
import org.cbhealth.routes.directory.model.SiteRecord;
import org.cbhealth.routes.directory.model.Telecom;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.translate.Translation;
import org.cbhealth.routes.translate.TranslationContext;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.OrganizationAffiliation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * A partner's directory records ({@link DirectoryCatalogue}, whatever format they came in) → the FHIR resources of
 * the cross-border catalogue: sites → Location ({@code cbh-location}), departments → HealthcareService ({@code
 * cbh-healthcareservice}), practitioners → Practitioner ({@code cbh-practitioner}) and their roles →
 * PractitionerRole ({@code cbh-practitionerrole}), endpoints → Endpoint ({@code cbh-endpoint}), partnerships →
 * OrganizationAffiliation ({@code cbh-organizationaffiliation}).
 *
 * <ul>
 *   <li>Each resource's id is the partner's own code of the record (its local id), and its business identifier is
 *       that code in the partner's namespaced system ({@link CbhCanonical#partnerIdentifierSystem}, kinds {@code
 *       site}, {@code department}, {@code practitioner}, {@code practitioner-role}, {@code endpoint}, {@code
 *       affiliation}). Records refer to each other as {@code Type/<code>}; the partner's own Organization is the
 *       configured one.
 *   <li>A name given in several languages: the one in the partner's first language is the name (the resource's
 *       {@code language}), the others are its {@code translation} extensions. A practitioner's names in several
 *       scripts are several HumanNames, each with the {@code language} extension ({@code mk}, {@code mk-Latn}).
 *   <li>Specialty and service-type codes keep the partner's coding and gain the shared one when the partner's
 *       ConceptMap maps them; an unmapped code is reported with its record's position.
 *   <li>Departments look like those of CSV exports ({@link DepartmentTranslator}): same identifier system,
 *       cross-border extension, languages as {@code urn:ietf:bcp:47} codings.
 *   <li>In a full export ({@link DirectoryScope#FULL}), a record that refers to a site, department or endpoint
 *       that is not in the export is refused with its position, and so, in turn, is whatever referred to it.
 * </ul>
 */
public class DirectoryModelTranslator {

    static final String EXT_TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation";
    static final String EXT_LANGUAGE = "http://hl7.org/fhir/StructureDefinition/language";
    static final String BCP_47 = "urn:ietf:bcp:47";
    static final String CS_CONNECTION_TYPE = "http://terminology.hl7.org/CodeSystem/endpoint-connection-type";
    static final String CS_ORGANIZATION_ROLE = "http://hl7.org/fhir/organization-role";

    private final SpecialtyMapper mapper;

    public DirectoryModelTranslator(SpecialtyMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param read the records a reader accepted, and those it refused (passed on as refused)
     * @param context the partner; its attribute {@link DirectoryScope#ATTRIBUTE} says whether the message is a full
     *     export (default partial)
     */
    public Translation translate(CatalogueRead read, TranslationContext context) {
        Batch batch = new Batch(context, read.refused());
        DirectoryCatalogue catalogue = read.catalogue();
        boolean full = DirectoryScope.of(context.attributes().get(DirectoryScope.ATTRIBUTE))
                        .orElse(DirectoryScope.PARTIAL)
                == DirectoryScope.FULL;
        Included included = full ? Included.resolve(catalogue, batch.rejected) : Included.everything();
        for (SiteRecord site : catalogue.sites()) {
            if (included.site(site.code())) {
                batch.resources.add(location(site, batch));
            }
        }
        for (EndpointRecord endpoint : catalogue.endpoints()) {
            if (included.endpoint(endpoint.code())) {
                batch.resources.add(endpoint(endpoint, batch));
            }
        }
        for (DepartmentRecord department : catalogue.departments()) {
            if (included.department(department.code())) {
                batch.resources.add(healthcareService(department, batch));
            }
        }
        for (PractitionerRecord practitioner : catalogue.practitioners()) {
            batch.resources.add(practitioner(practitioner, batch));
            for (PractitionerRoleRecord role : practitioner.roles()) {
                if (included.role(role)) {
                    batch.resources.add(practitionerRole(role, batch));
                }
            }
        }
        for (AffiliationRecord affiliation : catalogue.affiliations()) {
            if (included.affiliation(affiliation)) {
                batch.resources.add(organizationAffiliation(affiliation, batch));
            }
        }
        return new Translation(batch.resources, batch.rejected, batch.unmapped);
    }

    private Location location(SiteRecord site, Batch batch) {
        Location location = new Location();
        location.setId(site.code());
        location.addIdentifier(batch.identifier("site", site.code()));
        location.setStatus(Location.LocationStatus.ACTIVE);
        location.setMode(Location.LocationMode.INSTANCE);
        location.setLanguage(name(location.getNameElement(), site.names(), batch.language));
        Address address = location.getAddress();
        site.address().lines().forEach(address::addLine);
        address.setCity(site.address().city());
        address.setDistrict(site.address().district());
        address.setPostalCode(site.address().postalCode());
        address.setCountry(site.address().country());
        if (site.geo() != null) {
            location.getPosition()
                    .setLatitude(site.geo().latitude())
                    .setLongitude(site.geo().longitude());
        }
        location.setManagingOrganization(batch.organization.copy());
        if (site.partOfCode() != null) {
            location.setPartOf(new Reference("Location/" + site.partOfCode()));
        }
        site.telecom().forEach(t -> location.addTelecom(contactPoint(t)));
        return location;
    }

    private HealthcareService healthcareService(DepartmentRecord department, Batch batch) {
        HealthcareService service = new HealthcareService();
        service.setId(department.code());
        service.addIdentifier(batch.identifier("department", department.code()));
        service.setActive(true);
        service.setProvidedBy(batch.organization.copy());
        service.setLanguage(name(service.getNameElement(), department.names(), batch.language));
        for (Code specialty : department.specialties()) {
            service.addSpecialty(batch.specialty(specialty, department.position()));
        }
        for (Code type : department.serviceTypes()) {
            service.addType(
                    batch.mapped(type, batch.codeSystem("service-type"), department.position(), "service type"));
        }
        List<String> languages = department.languages().isEmpty() ? List.of(batch.language) : department.languages();
        languages.forEach(language ->
                service.addCommunication().addCoding().setSystem(BCP_47).setCode(language));
        service.addExtension()
                .setUrl(CbhCanonical.EXT_CROSS_BORDER_REFERRAL)
                .addExtension("accepts", new BooleanType(department.acceptsCrossBorderReferrals()));
        department.telecom().forEach(t -> service.addTelecom(contactPoint(t)));
        department.siteCodes().forEach(code -> service.addLocation(new Reference("Location/" + code)));
        department.endpointCodes().forEach(code -> service.addEndpoint(new Reference("Endpoint/" + code)));
        return service;
    }

    private Practitioner practitioner(PractitionerRecord record, Batch batch) {
        Practitioner practitioner = new Practitioner();
        practitioner.setId(record.code());
        practitioner.addIdentifier(batch.identifier("practitioner", record.code()));
        practitioner.setActive(true);
        for (PersonName name : record.names()) {
            HumanName human = practitioner.addName().setFamily(name.family());
            name.given().forEach(human::addGiven);
            name.prefixes().forEach(human::addPrefix);
            human.addExtension(EXT_LANGUAGE, new CodeType(name.language()));
        }
        for (Qualification qualification : record.qualifications()) {
            Code code = qualification.code();
            Practitioner.PractitionerQualificationComponent component = practitioner.addQualification();
            component
                    .getCode()
                    .addCoding()
                    .setSystem(code.system() != null ? code.system() : batch.codeSystem("qualification"))
                    .setCode(code.code())
                    .setDisplay(code.display());
            if (qualification.issuer() != null) {
                component.setIssuer(new Reference().setDisplay(qualification.issuer()));
            }
        }
        return practitioner;
    }

    private PractitionerRole practitionerRole(PractitionerRoleRecord role, Batch batch) {
        PractitionerRole resource = new PractitionerRole();
        resource.setId(role.code());
        resource.addIdentifier(batch.identifier("practitioner-role", role.code()));
        resource.setActive(true);
        resource.setPractitioner(new Reference("Practitioner/" + role.practitionerCode()));
        resource.setOrganization(batch.organization.copy());
        if (role.departmentCode() != null) {
            resource.addHealthcareService(new Reference("HealthcareService/" + role.departmentCode()));
        }
        for (Code specialty : role.specialties()) {
            resource.addSpecialty(batch.specialty(specialty, role.position()));
        }
        role.telecom().forEach(t -> resource.addTelecom(contactPoint(t)));
        return resource;
    }

    private Endpoint endpoint(EndpointRecord record, Batch batch) {
        Endpoint endpoint = new Endpoint();
        endpoint.setId(record.code());
        endpoint.addIdentifier(batch.identifier("endpoint", record.code()));
        endpoint.setStatus(Endpoint.EndpointStatus.ACTIVE);
        Code type = record.connectionType();
        endpoint.setConnectionType(
                new Coding(type.system() != null ? type.system() : CS_CONNECTION_TYPE, type.code(), type.display()));
        endpoint.setName(record.name());
        endpoint.setManagingOrganization(batch.organization.copy());
        for (Code payload : record.payloadTypes()) {
            endpoint.addPayloadType().addCoding(new Coding(payload.system(), payload.code(), payload.display()));
        }
        record.payloadMimeTypes().forEach(endpoint::addPayloadMimeType);
        endpoint.setAddress(record.address());
        return endpoint;
    }

    private OrganizationAffiliation organizationAffiliation(AffiliationRecord record, Batch batch) {
        OrganizationAffiliation affiliation = new OrganizationAffiliation();
        affiliation.setId(record.code());
        affiliation.addIdentifier(batch.identifier("affiliation", record.code()));
        affiliation.setActive(true);
        Period period = affiliation.getPeriod();
        period.setStartElement(new DateTimeType(record.start().toString()));
        if (record.end() != null) {
            period.setEndElement(new DateTimeType(record.end().toString()));
        }
        affiliation.setOrganization(batch.organization.copy());
        affiliation.setParticipatingOrganization(new Reference()
                .setIdentifier(new Identifier()
                        .setSystem(record.partner().system())
                        .setValue(record.partner().value()))
                .setDisplay(record.partner().name()));
        for (Code role : record.roles()) {
            affiliation
                    .addCode()
                    .addCoding()
                    .setSystem(role.system() != null ? role.system() : CS_ORGANIZATION_ROLE)
                    .setCode(role.code())
                    .setDisplay(role.display());
        }
        if (record.description() != null) {
            affiliation.addCode().setText(record.description());
        }
        for (Code specialty : record.specialties()) {
            affiliation.addSpecialty(batch.specialty(specialty, record.position()));
        }
        record.departmentCodes()
                .forEach(code -> affiliation.addHealthcareService(new Reference("HealthcareService/" + code)));
        record.siteCodes().forEach(code -> affiliation.addLocation(new Reference("Location/" + code)));
        return affiliation;
    }

    /**
     * Sets the name in the partner's language (else the first given) and adds the others as translations.
     *
     * @return the language of the name
     */
    static String name(StringType element, List<LocalizedText> names, String partnerLanguage) {
        if (names.isEmpty()) {
            return null;
        }
        LocalizedText own = names.stream()
                .filter(n -> n.language().equalsIgnoreCase(partnerLanguage))
                .findFirst()
                .orElse(names.get(0));
        element.setValue(own.text());
        for (LocalizedText name : names) {
            if (name != own) {
                org.hl7.fhir.r4.model.Extension translation =
                        element.addExtension().setUrl(EXT_TRANSLATION);
                translation.addExtension("lang", new CodeType(name.language()));
                translation.addExtension("content", new StringType(name.text()));
            }
        }
        return own.language();
    }

    private static ContactPoint contactPoint(Telecom telecom) {
        ContactPoint.ContactPointSystem system =
                switch (telecom.kind()) {
                    case PHONE -> ContactPoint.ContactPointSystem.PHONE;
                    case FAX -> ContactPoint.ContactPointSystem.FAX;
                    case EMAIL -> ContactPoint.ContactPointSystem.EMAIL;
                    case URL -> ContactPoint.ContactPointSystem.URL;
                };
        return new ContactPoint().setSystem(system).setValue(telecom.value());
    }

    /** What one translation collects, and what it knows of the partner. */
    private final class Batch {

        final String partnerId;
        final Reference organization;
        final String specialtySystem;
        final String language;
        final List<Resource> resources = new ArrayList<>();
        final List<InputProblem> rejected;
        final List<String> unmapped = new ArrayList<>();

        Batch(TranslationContext context, List<InputProblem> refused) {
            this.partnerId = context.partnerId();
            this.organization = context.organization();
            this.specialtySystem = context.localSpecialtySystem();
            this.language = context.defaultLanguage();
            this.rejected = new ArrayList<>(refused);
        }

        Identifier identifier(String kind, String code) {
            return new Identifier()
                    .setSystem(CbhCanonical.partnerIdentifierSystem(partnerId, kind))
                    .setValue(code);
        }

        String codeSystem(String kind) {
            return CbhCanonical.partnerCodeSystem(partnerId, kind);
        }

        CodeableConcept specialty(Code code, String position) {
            return mapped(code, specialtySystem, position, "specialty");
        }

        /** The partner's coding, and the shared one when its ConceptMap maps it; an unmapped code is reported. */
        CodeableConcept mapped(Code code, String defaultSystem, String position, String what) {
            String system = code.system() != null ? code.system() : defaultSystem;
            CodeableConcept concept = new CodeableConcept();
            concept.addCoding(new Coding(system, code.code(), code.display()));
            Optional<Coding> shared = mapper.toShared(system, code.code());
            if (shared.isPresent()) {
                concept.addCoding(shared.get());
            } else {
                unmapped.add(position + ": " + what + " " + code.code());
            }
            return concept;
        }
    }

    /**
     * Which records of a full export are kept: those whose references to the partner's sites, departments and
     * endpoints all point into the export. A refused site refuses the sites and departments that refer to it, and
     * so on.
     */
    private record Included(Set<String> sites, Set<String> departments, Set<String> endpoints, boolean all) {

        static Included everything() {
            return new Included(Set.of(), Set.of(), Set.of(), true);
        }

        static Included resolve(DirectoryCatalogue catalogue, List<InputProblem> rejected) {
            Set<String> endpoints = new HashSet<>();
            catalogue.endpoints().forEach(e -> endpoints.add(e.code()));
            Set<String> sites = new HashSet<>();
            catalogue.sites().forEach(s -> sites.add(s.code()));
            boolean changed = true;
            while (changed) {
                changed = false;
                for (SiteRecord site : catalogue.sites()) {
                    if (sites.contains(site.code())
                            && site.partOfCode() != null
                            && !sites.contains(site.partOfCode())) {
                        sites.remove(site.code());
                        rejected.add(missing(site.position(), "site", "site", site.partOfCode()));
                        changed = true;
                    }
                }
            }
            Set<String> departments = new HashSet<>();
            for (DepartmentRecord department : catalogue.departments()) {
                Optional<InputProblem> problem = firstMissing(
                                department.position(), "department", "site", department.siteCodes(), sites)
                        .or(() -> firstMissing(
                                department.position(),
                                "department",
                                "endpoint",
                                department.endpointCodes(),
                                endpoints));
                problem.ifPresentOrElse(rejected::add, () -> departments.add(department.code()));
            }
            Included included = new Included(sites, departments, endpoints, false);
            for (PractitionerRecord practitioner : catalogue.practitioners()) {
                for (PractitionerRoleRecord role : practitioner.roles()) {
                    if (!included.role(role)) {
                        rejected.add(missing(role.position(), "role", "department", role.departmentCode()));
                    }
                }
            }
            for (AffiliationRecord affiliation : catalogue.affiliations()) {
                firstMissing(
                                affiliation.position(),
                                "partnership",
                                "department",
                                affiliation.departmentCodes(),
                                departments)
                        .or(() -> firstMissing(
                                affiliation.position(), "partnership", "site", affiliation.siteCodes(), sites))
                        .ifPresent(rejected::add);
            }
            return included;
        }

        boolean site(String code) {
            return all || sites.contains(code);
        }

        boolean endpoint(String code) {
            return all || endpoints.contains(code);
        }

        boolean department(String code) {
            return all || departments.contains(code);
        }

        boolean role(PractitionerRoleRecord role) {
            return all || role.departmentCode() == null || departments.contains(role.departmentCode());
        }

        boolean affiliation(AffiliationRecord affiliation) {
            return all
                    || (departments.containsAll(affiliation.departmentCodes())
                            && sites.containsAll(affiliation.siteCodes()));
        }

        private static Optional<InputProblem> firstMissing(
                String position, String what, String kind, List<String> codes, Set<String> present) {
            return codes.stream()
                    .filter(code -> !present.contains(code))
                    .findFirst()
                    .map(code -> missing(position, what, kind, code));
        }

        private static InputProblem missing(String position, String what, String kind, String code) {
            return new InputProblem(
                    position,
                    "the " + what + " refers to " + kind + " '" + code
                            + "', which is not in this full export (or was refused); the " + what + " is left out");
        }
    }
}
