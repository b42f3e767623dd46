package org.cbhealth.routes.directory.model;

import java.util.List;
import java.util.Objects;

/**
 * A practitioner of the partner (FHIR {@code Practitioner}, profile {@code cbh-practitioner}) with the roles in
 * which they work there.
 *
 * @param code the partner's code for the practitioner: the local id of their Practitioner
 * @param position where the record is in the partner's message, for problem reports
 * @param names the name in one or more scripts, the partner's own first
 * @param qualifications qualifications
 * @param roles where and as what they work
 */
public record PractitionerRecord(
        String code,
        String position,
        List<PersonName> names,
        List<Qualification> qualifications,
        List<PractitionerRoleRecord> roles) {

    public PractitionerRecord {
        Objects.requireNonNull(code, "code");
        names = List.copyOf(names);
        qualifications = List.copyOf(qualifications);
        roles = List.copyOf(roles);
    }
}
