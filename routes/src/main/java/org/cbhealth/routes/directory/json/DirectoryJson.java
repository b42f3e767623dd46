package org.cbhealth.routes.directory.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of a partner's directory ({@code schemas/directory.schema.json}), field for field, as Jackson binds
 * it. The reader turns it into the format-neutral {@link org.cbhealth.routes.directory.model.DirectoryCatalogue}.
 * The record lists stay as JSON nodes here: each record is bound on its own, so one bad record does not take the
 * others with it.
 */
final class DirectoryJson {

    private DirectoryJson() {}

    record Document(
            List<JsonNode> sites,
            List<JsonNode> departments,
            List<JsonNode> practitioners,
            List<JsonNode> endpoints,
            List<JsonNode> affiliations) {}

    record Telecom(String system, String value) {}

    record Address(List<String> lines, String city, String district, String postalCode, String country) {}

    record Geo(BigDecimal latitude, BigDecimal longitude) {}

    record Site(
            String code, Map<String, String> names, Address address, Geo geo, String partOf, List<Telecom> telecom) {}

    record Department(
            String code,
            Map<String, String> names,
            List<String> specialties,
            List<String> serviceTypes,
            List<String> languages,
            Boolean acceptsCrossBorderReferrals,
            List<Telecom> telecom,
            List<String> sites,
            List<String> endpoints) {}

    record PersonName(String language, String family, List<String> given, List<String> prefix) {}

    record Qualification(String system, String code, String display, String issuer) {}

    record Practitioner(
            String code, List<PersonName> names, List<Qualification> qualifications, List<JsonNode> roles) {}

    record Role(String code, String department, List<String> specialties, List<Telecom> telecom) {}

    record Coding(String system, String code, String display) {}

    record Endpoint(
            String code,
            String name,
            String connectionType,
            String address,
            List<Coding> payloadTypes,
            List<String> payloadMimeTypes) {}

    record OrganizationIdentifier(String system, String value, String name) {}

    record Affiliation(
            String code,
            OrganizationIdentifier partner,
            List<String> roles,
            String description,
            String start,
            String end,
            List<String> specialties,
            List<String> departments,
            List<String> sites) {}
}
