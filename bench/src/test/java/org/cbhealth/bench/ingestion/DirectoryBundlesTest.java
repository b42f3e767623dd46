package org.cbhealth.bench.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.junit.jupiter.api.Test;

class DirectoryBundlesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void shouldGroupOrganizationLocationServiceAndEndpointReferringByUrnUuid() {
        Bundle bundle = new DirectoryBundles(FHIR, 42, 8).bundle("hub", "r1", 3);

        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(bundle.getEntry()).hasSize(8);
        assertThat(bundle.getEntry().stream().map(e -> e.getResource().fhirType()))
                .containsExactly(
                        "Organization",
                        "Location",
                        "HealthcareService",
                        "Endpoint",
                        "Organization",
                        "Location",
                        "HealthcareService",
                        "Endpoint");
        String organizationUrl = bundle.getEntry().get(0).getFullUrl();
        assertThat(organizationUrl).matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        Location location = (Location) bundle.getEntry().get(1).getResource();
        HealthcareService service = (HealthcareService) bundle.getEntry().get(2).getResource();
        Endpoint endpoint = (Endpoint) bundle.getEntry().get(3).getResource();
        assertThat(location.getManagingOrganization().getReference()).isEqualTo(organizationUrl);
        assertThat(service.getProvidedBy().getReference()).isEqualTo(organizationUrl);
        assertThat(endpoint.getManagingOrganization().getReference()).isEqualTo(organizationUrl);
        assertThat(bundle.getEntry())
                .allSatisfy(e -> assertThat(e.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST));
        assertThat(bundle.getEntry().get(2).getRequest().getUrl()).isEqualTo("HealthcareService");
    }

    @Test
    void shouldGiveBothServersTheSameContentExceptTheIdentifiers() {
        DirectoryBundles bundles = new DirectoryBundles(FHIR, 42, 8);

        String hub = new String(bundles.json("hub", "r1", 5), StandardCharsets.UTF_8);
        String plain = new String(bundles.json("plain", "r1", 5), StandardCharsets.UTF_8);

        assertThat(hub).contains("\"value\":\"hub-r1-5-0\"", "\"value\":\"hub-r1-5-1\"");
        assertThat(plain).contains("\"value\":\"plain-r1-5-0\"");
        assertThat(hub.replace("hub-r1-", "X-")).isEqualTo(plain.replace("plain-r1-", "X-"));
    }

    @Test
    void shouldGiveTheSameBundleForTheSameSeedAndIndexAndAnotherForAnotherIndex() {
        String first = new String(new DirectoryBundles(FHIR, 7, 4).json("hub", "r", 1), StandardCharsets.UTF_8);
        String again = new String(new DirectoryBundles(FHIR, 7, 4).json("hub", "r", 1), StandardCharsets.UTF_8);
        String next = new String(new DirectoryBundles(FHIR, 7, 4).json("hub", "r", 2), StandardCharsets.UTF_8);

        assertThat(again).isEqualTo(first);
        assertThat(next.replace("hub-r-2-", "X-")).isNotEqualTo(first.replace("hub-r-1-", "X-"));
    }

    @Test
    void shouldRefuseEntriesThatAreNotWholeGroups() {
        assertThatThrownBy(() -> new DirectoryBundles(FHIR, 1, 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of 4");
    }
}
