package org.cbhealth.routes.directory;

import static org.cbhealth.routes.directory.DirectoryField.ACCEPTS_CROSS_BORDER;
import static org.cbhealth.routes.directory.DirectoryField.DEPARTMENT_CODE;
import static org.cbhealth.routes.directory.DirectoryField.DEPARTMENT_NAME;
import static org.cbhealth.routes.directory.DirectoryField.EMAIL;
import static org.cbhealth.routes.directory.DirectoryField.LANGUAGES;
import static org.cbhealth.routes.directory.DirectoryField.PHONE;
import static org.cbhealth.routes.directory.DirectoryField.SPECIALTY_CODE;
import static org.cbhealth.routes.directory.DirectoryField.SPECIALTY_TEXT;

import java.util.Optional;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Reference;

/**
 * One department row of a partner's export → a HealthcareService of the cross-border catalogue
 * (profile {@code cbh-healthcareservice}): business identifier namespaced by partner, the name as the partner
 * wrote it, the partner's own specialty coding kept and the shared specialty added when the partner's
 * ConceptMap maps it, languages spoken, whether it accepts referrals from abroad, phone and e-mail.
 */
public class DepartmentTranslator {

    /**
     * What the translator needs to know of the partner.
     *
     * @param partnerId the partner's id, which namespaces its department codes
     * @param organization reference to the partner's Organization
     * @param localSpecialtySystem the partner's specialty code system
     * @param defaultLanguage the language of the partner's export, used when a row lists none
     */
    public record Partner(
            String partnerId, Reference organization, String localSpecialtySystem, String defaultLanguage) {}

    /** The service, and whether its specialty reached the shared list (unmapped ones are counted and reported). */
    public record Department(HealthcareService service, boolean specialtyMapped) {}

    private final SpecialtyMapper specialties;

    public DepartmentTranslator(SpecialtyMapper specialties) {
        this.specialties = specialties;
    }

    public Department translate(DirectoryRow row, Partner partner) {
        HealthcareService service = new HealthcareService();
        service.addIdentifier()
                .setSystem(CbhCanonical.partnerIdentifierSystem(partner.partnerId(), "department"))
                .setValue(row.get(DEPARTMENT_CODE).orElseThrow());
        service.setActive(true);
        service.setProvidedBy(partner.organization().copy());
        service.setName(row.get(DEPARTMENT_NAME).orElseThrow());
        CodeableConcept specialty = service.addSpecialty();
        Optional<Coding> local = localSpecialty(row, partner);
        local.ifPresent(specialty::addCoding);
        Optional<Coding> shared = local.flatMap(c -> specialties.toShared(c.getSystem(), c.getCode()));
        shared.ifPresent(specialty::addCoding);
        row.get(SPECIALTY_TEXT).ifPresent(specialty::setText);
        for (String language :
                row.get(LANGUAGES).orElse(partner.defaultLanguage()).split(",")) {
            service.addCommunication().addCoding().setSystem("urn:ietf:bcp:47").setCode(language.strip());
        }
        boolean accepts = row.get(ACCEPTS_CROSS_BORDER)
                .flatMap(CrossBorderFlagTranslator::toBoolean)
                .orElse(false);
        service.addExtension()
                .setUrl(CbhCanonical.EXT_CROSS_BORDER_REFERRAL)
                .addExtension("accepts", new BooleanType(accepts));
        row.get(PHONE).ifPresent(phone -> service.addTelecom()
                .setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setValue(phone));
        row.get(EMAIL).ifPresent(email -> service.addTelecom()
                .setSystem(ContactPoint.ContactPointSystem.EMAIL)
                .setValue(email));
        return new Department(service, shared.isPresent());
    }

    private Optional<Coding> localSpecialty(DirectoryRow row, Partner partner) {
        Optional<String> code = row.get(SPECIALTY_CODE);
        if (code.isPresent()) {
            Coding coding = new Coding(
                    partner.localSpecialtySystem(),
                    code.get(),
                    row.get(SPECIALTY_TEXT).orElse(null));
            return Optional.of(coding);
        }
        return row.get(SPECIALTY_TEXT).flatMap(name -> specialties.localByName(partner.localSpecialtySystem(), name));
    }
}
