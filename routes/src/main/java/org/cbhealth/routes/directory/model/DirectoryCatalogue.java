package org.cbhealth.routes.directory.model;

import java.util.List;

/**
 * A partner's directory as it sends it, whatever the format (JSON over REST, its SOAP directory service): its
 * sites, departments, practitioners with their roles, endpoints and partnerships. Every record carries the
 * partner's own code for it, which is the record's local id in the FHIR translation ({@code Location/<site
 * code>}, {@code HealthcareService/<department code>}, …), and its position in the message for problem reports.
 * Records refer to each other by these codes.
 */
public record DirectoryCatalogue(
        List<SiteRecord> sites,
        List<DepartmentRecord> departments,
        List<PractitionerRecord> practitioners,
        List<EndpointRecord> endpoints,
        List<AffiliationRecord> affiliations) {

    public DirectoryCatalogue {
        sites = List.copyOf(sites);
        departments = List.copyOf(departments);
        practitioners = List.copyOf(practitioners);
        endpoints = List.copyOf(endpoints);
        affiliations = List.copyOf(affiliations);
    }

    /** The number of records, roles included. */
    public int size() {
        int roles = practitioners.stream().mapToInt(p -> p.roles().size()).sum();
        return sites.size()
                + departments.size()
                + practitioners.size()
                + roles
                + endpoints.size()
                + affiliations.size();
    }

    /** True when the catalogue has no record at all. */
    public boolean isEmpty() {
        return size() == 0;
    }
}
