package org.cbhealth.routes.referral;

import java.util.List;

/**
 * A partner's "application for treatment abroad" as posted in JSON (schema:
 * {@code schemas/treatment-abroad-application.schema.json}); the shape Ukrainian hospitals export for a
 * twin hospital abroad. Dates stay text here: the reader checks them and names the field when one is wrong.
 */
public record TreatmentAbroadApplication(
        String applicationNumber,
        String submitted,
        Facility referringFacility,
        Doctor referringDoctor,
        TargetFacility targetFacility,
        Applicant patient,
        List<Diagnosis> diagnosis,
        RequestedService requestedService,
        String reason,
        List<Attachment> attachments) {

    /** The referring facility; {@code edrpou} is its Ukrainian registry (EDRPOU) code. */
    public record Facility(String edrpou, String name, String city, String country) {}

    public record Doctor(String fullName, String position, String phone) {}

    /** The destination, by its registry identifier in the destination country. */
    public record TargetFacility(String registryId, String name, String country) {}

    /** The patient; {@code rnokpp} is the Ukrainian taxpayer number used as personal identifier. */
    public record Applicant(
            String rnokpp,
            String lastName,
            String firstName,
            String patronymic,
            String birthDate,
            String sex,
            Address address,
            String phone,
            String preferredLanguage) {}

    public record Address(String line, String city, String postalCode, String country) {}

    public record Diagnosis(String icd10, String text) {}

    public record RequestedService(String specialtyCode, String specialtyText, String urgency) {}

    public record Attachment(String title, String contentType, String url) {}
}
