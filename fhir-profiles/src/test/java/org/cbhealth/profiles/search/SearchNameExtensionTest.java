package org.cbhealth.profiles.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

class SearchNameExtensionTest {

    private final SearchNameExtension extension = new SearchNameExtension(SearchNames.standard());

    @Test
    void shouldIndexTheNameAndAliasesOfAnOrganizationInItsLanguage() {
        Organization stip = new Organization().setName("ЈЗУ Клиничка болница Штип");
        stip.setLanguage("mk");
        stip.addAlias("Clinical Hospital Štip");

        extension.apply(stip);

        assertThat(forms(stip))
                .containsExactly(
                        "Клиничка болница Штип",
                        "болница Штип",
                        "Штип",
                        "JZU Klinicka bolnica Stip",
                        "Klinicka bolnica Stip",
                        "bolnica Stip",
                        "Stip",
                        "Hospital Štip");
    }

    @Test
    void shouldIndexTranslationsOfTheNameInTheirOwnLanguage() {
        HealthcareService service = new HealthcareService().setName("Відділення кардіології");
        service.setLanguage("uk");
        service.getNameElement().addExtension(translation("pl", "Oddział kardiologii"));

        extension.apply(service);

        assertThat(forms(service))
                .containsExactly(
                        "кардіології",
                        "Viddilenna kardiologii",
                        "kardiologii",
                        "Viddilennya kardiolohiyi",
                        "kardiolohiyi",
                        "Oddział kardiologii",
                        "Oddzial kardiologii");
    }

    @Test
    void shouldUseTheGermanRomanizationForAGermanLocation() {
        Location location = new Location().setName("Standort Klagenfurt, Kärnten");
        location.setLanguage("de");

        extension.apply(location);

        assertThat(forms(location))
                .containsExactly(
                        "Standort Klagenfurt Kärnten",
                        "Klagenfurt Kärnten",
                        "Kärnten",
                        "Standort Klagenfurt Kaernten",
                        "Klagenfurt Kaernten",
                        "Kaernten");
    }

    @Test
    void shouldReplaceWhatAClientSentAndGiveTheSameFormsEveryTime() {
        Organization organization = new Organization().setName("MBAL Blagoevgrad");
        organization.addExtension(CbhCanonical.EXT_SEARCH_NAME, new StringType("Sofia"));

        extension.apply(organization);
        Organization again = organization.copy();
        extension.apply(again);

        assertThat(forms(organization)).containsExactly("Blagoevgrad");
        assertThat(again.equalsDeep(organization)).isTrue();
    }

    @Test
    void shouldKeepOtherExtensionsAndLeaveOtherResourceTypesAlone() {
        HealthcareService service = new HealthcareService().setName("Klinika Kardiologii");
        service.addExtension().setUrl(CbhCanonical.EXT_CROSS_BORDER_REFERRAL);
        Endpoint endpoint = new Endpoint().setName("Клиничка болница Штип FHIR");

        extension.apply(service);
        extension.apply(endpoint);

        assertThat(service.getExtension().get(0).getUrl()).isEqualTo(CbhCanonical.EXT_CROSS_BORDER_REFERRAL);
        assertThat(forms(service)).containsExactly("Kardiologii");
        assertThat(endpoint.getExtension()).isEmpty();
    }

    private static Extension translation(String language, String content) {
        Extension translation = new Extension(CbhCanonical.EXT_TRANSLATION);
        translation.addExtension("lang", new CodeType(language));
        translation.addExtension("content", new StringType(content));
        return translation;
    }

    private static List<String> forms(DomainResource resource) {
        return resource.getExtensionsByUrl(CbhCanonical.EXT_SEARCH_NAME).stream()
                .map(e -> e.getValue().primitiveValue())
                .toList();
    }
}
