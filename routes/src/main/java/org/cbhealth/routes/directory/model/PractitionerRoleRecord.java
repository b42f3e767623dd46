package org.cbhealth.routes.directory.model;

import java.util.List;
import java.util.Objects;

/**
 * A practitioner's role in a department (FHIR {@code PractitionerRole}, profile {@code cbh-practitionerrole}).
 *
 * @param code the partner's code for the role: the local id of its PractitionerRole
 * @param position where the record is in the partner's message, for problem reports
 * @param practitionerCode the practitioner's code ({@code Practitioner/<code>})
 * @param departmentCode the department's code ({@code HealthcareService/<code>}), or null
 * @param specialties the partner's specialty codes for the role
 * @param telecom the role's phone, e-mail, …
 */
public record PractitionerRoleRecord(
        String code,
        String position,
        String practitionerCode,
        String departmentCode,
        List<Code> specialties,
        List<Telecom> telecom) {

    public PractitionerRoleRecord {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(practitionerCode, "practitionerCode");
        specialties = List.copyOf(specialties);
        telecom = List.copyOf(telecom);
    }
}
