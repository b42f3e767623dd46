package org.cbhealth.routes.directory.model;

import java.util.List;
import java.util.Objects;

/**
 * A department or service the partner offers (FHIR {@code HealthcareService}, profile {@code
 * cbh-healthcareservice}).
 *
 * @param code the partner's code for the department: the local id of its HealthcareService
 * @param position where the record is in the partner's message, for problem reports
 * @param names the department's name in one or more languages, the partner's own language first
 * @param specialties the partner's specialty codes (mapped to the shared specialties through its ConceptMap)
 * @param serviceTypes the partner's service-type codes
 * @param languages languages spoken (BCP 47); empty means the partner's own language
 * @param acceptsCrossBorderReferrals whether it takes patients referred from abroad
 * @param telecom phone, e-mail, …
 * @param siteCodes the codes of the sites where it is ({@code Location/<code>})
 * @param endpointCodes the codes of the endpoints that reach it ({@code Endpoint/<code>})
 */
public record DepartmentRecord(
        String code,
        String position,
        List<LocalizedText> names,
        List<Code> specialties,
        List<Code> serviceTypes,
        List<String> languages,
        boolean acceptsCrossBorderReferrals,
        List<Telecom> telecom,
        List<String> siteCodes,
        List<String> endpointCodes) {

    public DepartmentRecord {
        Objects.requireNonNull(code, "code");
        names = List.copyOf(names);
        specialties = List.copyOf(specialties);
        serviceTypes = List.copyOf(serviceTypes);
        languages = List.copyOf(languages);
        telecom = List.copyOf(telecom);
        siteCodes = List.copyOf(siteCodes);
        endpointCodes = List.copyOf(endpointCodes);
    }
}
