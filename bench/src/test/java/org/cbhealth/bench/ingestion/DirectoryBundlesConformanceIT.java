package org.cbhealth.bench.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.profiles.validation.CbhResourceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;

/**
 * The generated directory Bundles conform to the hub's profiles, so the hub answers them 200 and the comparison
 * measures storage rather than refusals. An IT because building the validation support chain takes tens of seconds.
 */
class DirectoryBundlesConformanceIT {

    @Test
    void shouldConformToTheHubsDirectoryProfiles() {
        FhirContext fhir = FhirContext.forR4();
        CbhResourceValidator validator = new CbhResourceValidator(fhir, CbhConformanceResources.load(fhir));
        Bundle bundle = new DirectoryBundles(fhir, 20261125L, 40).bundle("hub", "r1", 0);

        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            List<SingleValidationMessage> errors = validator.validate(entry.getResource()).getMessages().stream()
                    .filter(m ->
                            m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                    .toList();
            assertThat(errors)
                    .as(entry.getResource().fhirType() + " " + entry.getFullUrl())
                    .isEmpty();
        }
        assertThat(((Organization) bundle.getEntry().get(0).getResource())
                        .getAddressFirstRep()
                        .getCountry())
                .matches("[A-Z]{2}");
    }
}
