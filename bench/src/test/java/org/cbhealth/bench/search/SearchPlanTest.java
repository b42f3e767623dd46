package org.cbhealth.bench.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SearchPlanTest {

    private static final SearchPlan PLAN = SearchPlan.of(new DirectoryGenerator(20260101L, "t"), 250);

    @Test
    void shouldHaveEverySearchTypeWithValuesThatMatch() {
        assertThat(PLAN.byType())
                .containsOnlyKeys(
                        SearchPlan.NAME_LATIN,
                        SearchPlan.NAME_CYRILLIC,
                        SearchPlan.SPECIALTY,
                        SearchPlan.COUNTRY_BY_LOCATION,
                        SearchPlan.COUNTRY_BY_ORGANIZATION,
                        SearchPlan.INCLUDE);
        PLAN.byType()
                .values()
                .forEach(queries -> assertThat(queries).isNotEmpty().allMatch(q -> q.expectedMatches() > 0));
    }

    @Test
    void shouldSearchEveryCountryOfTheDirectory() {
        assertThat(PLAN.byType().get(SearchPlan.COUNTRY_BY_LOCATION))
                .extracting(SearchQuery::query)
                .contains("location.address-country=BG", "location.address-country=BY")
                .hasSize(11);
    }

    @Test
    void shouldSumSpecialtyTotalsToAllServices() {
        assertThat(PLAN.byType().get(SearchPlan.SPECIALTY).stream()
                        .mapToLong(SearchQuery::expectedMatches)
                        .sum())
                .isEqualTo(1250);
    }

    @Test
    void shouldEncodeTheSpecialtyTokenAndCyrillicPrefixes() {
        assertThat(PLAN.byType().get(SearchPlan.SPECIALTY).get(0).query())
                .startsWith("specialty=https%3A%2F%2Ffhir.cbhealth.eu%2FCodeSystem%2Fcbh-specialty%7C");
        assertThat(PLAN.byType().get(SearchPlan.NAME_CYRILLIC))
                .extracting(SearchQuery::query)
                .contains("name=%D0%9A%D0%B0%D1%80%D0%B4%D0%B8%D0%BE");
    }

    @Test
    void shouldIncludeOrganizationLocationAndEndpointWithoutCountingThem() {
        List<SearchQuery> include = PLAN.byType().get(SearchPlan.INCLUDE);
        assertThat(include).allMatch(q -> !q.countable());
        assertThat(include.get(0).query())
                .contains(
                        "&_include=HealthcareService:organization",
                        "&_include=HealthcareService:location",
                        "&_include=HealthcareService:endpoint");
    }

    @Test
    void shouldExpectAFullFirstPageOnlyWhenThereAreEnoughMatches() {
        assertThat(new SearchQuery("t", "q", 7, true).expectedOnFirstPage(20)).isEqualTo(7);
        assertThat(new SearchQuery("t", "q", 700, true).expectedOnFirstPage(20)).isEqualTo(20);
    }
}
