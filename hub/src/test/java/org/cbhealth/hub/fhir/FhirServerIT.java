package org.cbhealth.hub.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cbhealth.hub.support.DirectoryFixtures.healthcareService;
import static org.cbhealth.hub.support.DirectoryFixtures.organization;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.UUID;
import org.cbhealth.hub.support.DirectoryFixtures;
import org.cbhealth.hub.support.HubIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The JPA server at /fhir, exercised through a real HAPI client over HTTP. */
class FhirServerIT extends HubIntegrationTest {

    @Autowired
    private JpaStorageSettings storageSettings;

    @Autowired
    private IJobCoordinator jobs;

    @Autowired
    private FhirServerProperties fhirProperties;

    /**
     * The hub's SearchParameters are created on a database without resources of their types: nothing to reindex.
     * (HAPI's reindex job would start a minute later and reindex, at a few resources a second, whatever was stored
     * meanwhile: the bench search load ran at 56 instead of several hundred resources a second.)
     */
    @Test
    void aFreshDatabaseStartsNoReindexJobForTheHubsSearchParameters() {
        assertThat(jobs.getJobInstancesByJobDefinitionId("REINDEX", 10, 0)).isEmpty();
    }

    /**
     * A name search finds a resource by several index rows (each word start, in two scripts); when HAPI's first pass
     * held fewer resources than the page, the request waited 500 ms for the next pass (bench search: name searches
     * 0.6 to 2 s). The configured passes reach HAPI, and the first holds a default page three times over.
     */
    @Test
    void aSearchsFirstPassHoldsADefaultPageEvenWhenEachMatchIsSeveralRows() {
        assertThat(storageSettings.getSearchPreFetchThresholds())
                .isEqualTo(fhirProperties.searchPrefetchThresholds())
                .containsExactly(63, 503, 2003, 1000003, -1);
        assertThat(storageSettings.getSearchPreFetchThresholds().get(0))
                .isGreaterThanOrEqualTo((fhirProperties.defaultPageSize() + 1) * 3);
    }

    @Test
    void capabilityStatementNamesTheHub() {
        CapabilityStatement statement =
                fhirClient().capabilities().ofType(CapabilityStatement.class).execute();

        assertThat(statement.getSoftware().getName()).isEqualTo("CBHealth Hub");
        assertThat(statement.getName()).isEqualTo("CBHealthHub");
        assertThat(statement.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(statement.getRestFirstRep().getResource())
                .extracting(CapabilityStatement.CapabilityStatementRestResourceComponent::getType)
                .contains("Organization", "HealthcareService", "ServiceRequest", "Task");
    }

    @Test
    void organizationCreatedWithTheClientIsFoundByNameInEitherScript() {
        IGenericClient client = fhirClient();
        String unique = UUID.randomUUID().toString().substring(0, 8);
        Organization stip = organization("Клиничка болница Штип " + unique, "MK");
        IdType id = (IdType) client.create().resource(stip).execute().getId();

        Bundle found = client.search()
                .forResource(Organization.class)
                .where(Organization.NAME.matches().value("Клиничка болница Штип " + unique))
                .returnBundle(Bundle.class)
                .execute();

        assertThat(found.getEntry()).hasSize(1);
        Organization hit = (Organization) found.getEntryFirstRep().getResource();
        assertThat(hit.getIdElement().getIdPart()).isEqualTo(id.getIdPart());
        assertThat(hit.getName()).isEqualTo("Клиничка болница Штип " + unique);
    }

    @Test
    void conditionalCreateOnIdentifierCreatesOnlyOnce() {
        IGenericClient client = fhirClient();
        String value = "BG-" + UUID.randomUUID();
        Organization org = organization("МБАЛ Благоевград", "BG");
        org.getIdentifierFirstRep().setSystem("urn:oid:1.2.3.4.5").setValue(value);
        String condition = "Organization?identifier=urn:oid:1.2.3.4.5|" + value;

        MethodOutcome first =
                client.create().resource(org).conditionalByUrl(condition).execute();
        MethodOutcome second =
                client.create().resource(org).conditionalByUrl(condition).execute();

        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
    }

    @Test
    void conditionalUpdateAndHistoryKeepEveryVersion() {
        IGenericClient client = fhirClient();
        String value = "SI-" + UUID.randomUUID();
        String condition = "Organization?identifier=urn:oid:1.2.3.4.6|" + value;
        Organization org = organization("UKC Ljubljana", "SI");
        org.getIdentifierFirstRep().setSystem("urn:oid:1.2.3.4.6").setValue(value);

        MethodOutcome created =
                client.update().resource(org).conditionalByUrl(condition).execute();
        org.setName("Univerzitetni klinični center Ljubljana");
        MethodOutcome updated =
                client.update().resource(org).conditionalByUrl(condition).execute();

        assertThat(updated.getId().getIdPart()).isEqualTo(created.getId().getIdPart());
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
        Bundle history = client.history()
                .onInstance(new IdType("Organization", created.getId().getIdPart()))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(history.getEntry())
                .extracting(e -> ((Organization) e.getResource()).getName())
                .containsExactly("Univerzitetni klinični center Ljubljana", "UKC Ljubljana");
    }

    @Test
    void transactionStoresLinkedResourcesAndIncludeReturnsThem() {
        IGenericClient client = fhirClient();
        String unique = UUID.randomUUID().toString().substring(0, 8);
        Organization org = organization("LKH Villach " + unique, "AT");
        org.setId(IdType.newRandomUuid());
        Location site = new Location().setName("Standort Villach " + unique);
        site.setId(IdType.newRandomUuid());
        site.getAddress().setCity("Villach").setCountry("AT");
        site.setManagingOrganization(new Reference(org.getId()));
        HealthcareService cardiology = healthcareService("Kardiologie " + unique, "cardiology", "de");
        cardiology.setProvidedBy(new Reference(org.getId()));
        cardiology.addLocation(new Reference(site.getId()));

        Bundle transaction = DirectoryFixtures.transaction(org, site, cardiology);
        Bundle response = client.transaction().withBundle(transaction).execute();
        assertThat(response.getEntry())
                .allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));

        Bundle found = client.search()
                .forResource(HealthcareService.class)
                .where(HealthcareService.NAME.matches().value("Kardiologie " + unique))
                .include(HealthcareService.INCLUDE_ORGANIZATION)
                .include(HealthcareService.INCLUDE_LOCATION)
                .returnBundle(Bundle.class)
                .execute();

        assertThat(found.getEntry())
                .extracting(e -> e.getResource().fhirType() + ":"
                        + e.getSearch().getMode().toCode())
                .containsExactlyInAnyOrder("HealthcareService:match", "Organization:include", "Location:include");
        Organization included = found.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Organization.class::isInstance)
                .map(Organization.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(included.getName()).isEqualTo("LKH Villach " + unique);
    }
}
