package org.cbhealth.routes.directory.model;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A partnership of the partner with another organization, e.g. a twinning memorandum (FHIR {@code
 * OrganizationAffiliation}, profile {@code cbh-organizationaffiliation}: the partner is the organization, the
 * other one the participating organization).
 *
 * @param code the partner's code for the agreement: the local id of its OrganizationAffiliation
 * @param position where the record is in the partner's message, for problem reports
 * @param partner the other organization
 * @param roles the kind of partnership ({@code http://hl7.org/fhir/organization-role} when a code's system is
 *     null); may be empty when there is a description
 * @param description the agreement's scope in words, or null
 * @param start the day the agreement starts
 * @param end the day it ends, or null
 * @param specialties the partner's specialty codes the agreement covers
 * @param departmentCodes the departments it covers ({@code HealthcareService/<code>})
 * @param siteCodes the sites it covers ({@code Location/<code>})
 */
public record AffiliationRecord(
        String code,
        String position,
        OrganizationRef partner,
        List<Code> roles,
        String description,
        LocalDate start,
        LocalDate end,
        List<Code> specialties,
        List<String> departmentCodes,
        List<String> siteCodes) {

    public AffiliationRecord {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(partner, "partner");
        Objects.requireNonNull(start, "start");
        roles = List.copyOf(roles);
        specialties = List.copyOf(specialties);
        departmentCodes = List.copyOf(departmentCodes);
        siteCodes = List.copyOf(siteCodes);
    }
}
