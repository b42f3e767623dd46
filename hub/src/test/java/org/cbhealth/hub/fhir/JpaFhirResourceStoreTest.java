package org.cbhealth.hub.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class JpaFhirResourceStoreTest {

    @Test
    void shouldMatchOnFirstIdentifierWithSystemAndValue() {
        Organization org = new Organization();
        org.addIdentifier().setValue("no-system");
        org.addIdentifier().setSystem("urn:oid:1.2.3").setValue("BG 123");

        assertThat(JpaFhirResourceStore.businessIdentifierMatchUrl(org))
                .isEqualTo("Organization?identifier=urn%3Aoid%3A1.2.3|BG%20123");
    }

    @Test
    void shouldEscapeSearchDelimitersInsideTheValue() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:x").setValue("a|b");

        assertThat(JpaFhirResourceStore.businessIdentifierMatchUrl(patient))
                .isEqualTo("Patient?identifier=urn%3Ax|a%5C%7Cb");
    }

    @Test
    void shouldCreateUnconditionallyWithoutUsableIdentifier() {
        Organization org = new Organization();
        org.addIdentifier().setValue("value only");

        assertThat(JpaFhirResourceStore.businessIdentifierMatchUrl(org)).isNull();
        assertThat(JpaFhirResourceStore.businessIdentifierMatchUrl(new Organization()))
                .isNull();
    }
}
