package org.cbhealth.bench.search;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cbhealth.profiles.CbhCanonical;

/**
 * The searches of a run, by type, each with several values and the number of matches the generated directory has for
 * it. Values the directory has no match for are left out (a benchmark of empty answers would measure nothing), so a
 * type has at least one value or the plan refuses to be built.
 */
public record SearchPlan(Map<String, List<SearchQuery>> byType) {

    /** {@code name=} a word start in Latin letters: found in Latin names and, transliterated, in Cyrillic ones. */
    public static final String NAME_LATIN = "name word start, Latin script";
    /** {@code name=} a word start in Cyrillic: found in Cyrillic names and, transliterated, in Latin ones. */
    public static final String NAME_CYRILLIC = "name word start, Cyrillic script";

    public static final String SPECIALTY = "specialty, system and code";
    public static final String COUNTRY_BY_LOCATION = "country via location.address-country";
    public static final String COUNTRY_BY_ORGANIZATION = "country via organization.address-country";
    public static final String INCLUDE = "specialty + country, _include organization, location, endpoint";

    /** Prefixes of the specialties' names in the Latin-script languages of the directory (de, sl, pl, lt, lv, et). */
    static final List<String> LATIN_PREFIXES =
            List.of("Kardio", "Neuro", "Gastro", "Urolog", "Psych", "Radio", "Nefro", "Ortoped", "Hemat", "Endokr");

    /** Prefixes of the specialties' names in the Cyrillic-script languages (bg, mk, uk, ru). */
    static final List<String> CYRILLIC_PREFIXES =
            List.of("Кардио", "Невро", "Гастро", "Урол", "Ревмат", "Педиат", "Психиа", "Нефро", "Ортопед", "Хирург");

    private static final String INCLUDES = "&_include=HealthcareService:organization"
            + "&_include=HealthcareService:location&_include=HealthcareService:endpoint";

    /** The plan for the first {@code units} units of {@code generator}'s directory. */
    static SearchPlan of(DirectoryGenerator generator, int units) {
        List<String> prefixes = new ArrayList<>(LATIN_PREFIXES);
        prefixes.addAll(CYRILLIC_PREFIXES);
        DirectoryGenerator.Totals totals = generator.count(units, prefixes);
        Map<String, List<SearchQuery>> byType = new LinkedHashMap<>();
        byType.put(NAME_LATIN, names(NAME_LATIN, LATIN_PREFIXES, totals));
        byType.put(NAME_CYRILLIC, names(NAME_CYRILLIC, CYRILLIC_PREFIXES, totals));
        List<SearchQuery> specialty = new ArrayList<>();
        totals.bySpecialty()
                .forEach((code, n) -> specialty.add(new SearchQuery(SPECIALTY, specialtyParam(code), n, true)));
        byType.put(SPECIALTY, specialty);
        List<SearchQuery> byLocation = new ArrayList<>();
        List<SearchQuery> byOrganization = new ArrayList<>();
        totals.byCountry().forEach((country, n) -> {
            byLocation.add(new SearchQuery(COUNTRY_BY_LOCATION, "location.address-country=" + country, n, true));
            byOrganization.add(
                    new SearchQuery(COUNTRY_BY_ORGANIZATION, "organization.address-country=" + country, n, true));
        });
        byType.put(COUNTRY_BY_LOCATION, byLocation);
        byType.put(COUNTRY_BY_ORGANIZATION, byOrganization);
        List<SearchQuery> include = new ArrayList<>();
        totals.bySpecialtyAndCountry().forEach((key, n) -> {
            String[] parts = key.split("\\|");
            include.add(new SearchQuery(
                    INCLUDE, specialtyParam(parts[0]) + "&location.address-country=" + parts[1] + INCLUDES, n, false));
        });
        byType.put(INCLUDE, include);
        byType.forEach((type, queries) -> {
            if (queries.isEmpty()) {
                throw new IllegalStateException("the generated directory has no match for any " + type + " search");
            }
        });
        return new SearchPlan(byType);
    }

    private static List<SearchQuery> names(String type, List<String> prefixes, DirectoryGenerator.Totals totals) {
        List<SearchQuery> queries = new ArrayList<>();
        for (String prefix : prefixes) {
            long n = totals.byNamePrefix().getOrDefault(prefix, 0L);
            if (n > 0) {
                queries.add(new SearchQuery(type, "name=" + encode(prefix), n, true));
            }
        }
        return queries;
    }

    private static String specialtyParam(String code) {
        return "specialty=" + encode(CbhCanonical.CS_SPECIALTY + "|" + code);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
