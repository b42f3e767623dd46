package org.cbhealth.bench.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.junit.jupiter.api.Test;

class DirectoryGeneratorTest {

    private final DirectoryGenerator generator = new DirectoryGenerator(42, "t");

    @Test
    void shouldMakeTheSameUnitForTheSameSeedAndIndex() {
        assertThat(new DirectoryGenerator(42, "t").unit(17)).isEqualTo(generator.unit(17));
    }

    @Test
    void shouldMakeOtherUnitsForAnotherSeed() {
        List<DirectoryGenerator.Unit> a = List.of(generator.unit(0), generator.unit(1), generator.unit(2));
        DirectoryGenerator other = new DirectoryGenerator(43, "t");
        List<DirectoryGenerator.Unit> b = List.of(other.unit(0), other.unit(1), other.unit(2));
        assertThat(b).isNotEqualTo(a);
    }

    @Test
    void shouldGiveEachUnitFiveDistinctSpecialties() {
        for (int i = 0; i < 50; i++) {
            assertThat(Set.copyOf(generator.unit(i).services())).hasSize(5);
        }
    }

    @Test
    void shouldPutEightEntriesPerUnitInATransactionWithReferencesInsideTheBundle() {
        Bundle bundle = generator.transaction(10, 13);
        assertThat(bundle.getEntry()).hasSize(24);
        Set<String> fullUrls = bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getFullUrl)
                .collect(Collectors.toSet());
        assertThat(fullUrls).hasSize(24).allMatch(u -> u.startsWith("urn:uuid:"));
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
            if (entry.getResource() instanceof HealthcareService service) {
                assertThat(fullUrls)
                        .contains(
                                service.getProvidedBy().getReference(),
                                service.getLocationFirstRep().getReference(),
                                service.getEndpointFirstRep().getReference());
            }
        }
    }

    @Test
    void shouldGiveAHealthcareServiceWhatItsProfileRequires() {
        HealthcareService service =
                (HealthcareService) generator.resources(generator.unit(0)).get(3);
        assertThat(service.getActive()).isTrue();
        assertThat(service.getName()).isNotBlank();
        assertThat(service.getSpecialtyFirstRep().getCodingFirstRep().getSystem())
                .isEqualTo("https://fhir.cbhealth.eu/CodeSystem/cbh-specialty");
        assertThat(service.getCommunication()).isNotEmpty();
        assertThat(service.getExtensionByUrl("https://fhir.cbhealth.eu/StructureDefinition/cbh-cross-border-referral")
                        .getExtensionByUrl("accepts")
                        .getValue()
                        .primitiveValue())
                .isEqualTo("true");
    }

    @Test
    void shouldNameServicesInTheCountrysScript() {
        for (int i = 0; i < 200; i++) {
            DirectoryGenerator.Unit unit = generator.unit(i);
            String name = unit.serviceName(unit.services().get(0));
            boolean cyrillic =
                    name.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.CYRILLIC);
            assertThat(cyrillic)
                    .as(name)
                    .isEqualTo(Set.of("BG", "MK", "UA", "RU", "BY")
                            .contains(unit.country().code()));
        }
    }

    @Test
    void shouldPutTheCountryOnTheLocation() {
        DirectoryGenerator.Unit unit = generator.unit(5);
        Location location = (Location) generator.resources(unit).get(1);
        assertThat(location.getAddress().getCountry()).isEqualTo(unit.country().code());
    }

    @Test
    void shouldCountEveryServiceOncePerSpecialtyAndPerCountry() {
        DirectoryGenerator.Totals totals = generator.count(100, List.of());
        assertThat(totals.resources()).isEqualTo(800);
        assertThat(totals.services()).isEqualTo(500);
        assertThat(totals.bySpecialty().values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(500);
        assertThat(totals.byCountry().values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(500);
        assertThat(totals.bySpecialtyAndCountry().values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(500);
    }

    @Test
    void shouldCountNamesAsTheHubsNameSearchFindsThemInEitherScript() {
        DirectoryGenerator.Totals totals =
                generator.count(300, List.of("kardio", "Кардио", "Blagoevgrad", "Благоевград", "Zzz"));
        long inBlagoevgrad = 0;
        for (int i = 0; i < 300; i++) {
            if (generator.unit(i).city().equals("Благоевград")) {
                inBlagoevgrad += generator.unit(i).services().size();
            }
        }

        assertThat(inBlagoevgrad).isPositive();
        assertThat(totals.byNamePrefix())
                .containsEntry("Blagoevgrad", inBlagoevgrad)
                .containsEntry("Благоевград", inBlagoevgrad)
                .containsEntry("Zzz", 0L);
        assertThat(totals.byNamePrefix().get("kardio"))
                .isPositive()
                .isEqualTo(totals.byNamePrefix().get("Кардио"));
    }

    @Test
    void shouldNormaliseAsHapiIndexesStrings() {
        assertThat(DirectoryGenerator.normalise("Šiauliai")).isEqualTo("SIAULIAI");
        assertThat(DirectoryGenerator.normalise("Rīga Pärnu")).isEqualTo("RIGA PARNU");
        assertThat(DirectoryGenerator.normalise("Кардиология")).isEqualTo("КАРДИОЛОГИЯ");
    }
}
