package org.cbhealth.bench.search;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Pattern;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.profiles.search.SearchNames;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * A synthetic cross-border directory, the same for the same seed: each unit is one hospital of a cooperating
 * country — an Organization (named in its country's script), its Location (with {@code address.country}), its
 * FHIR Endpoint and {@value #SERVICES_PER_UNIT} HealthcareServices, each with one shared specialty
 * ({@code cbh-specialty}), the cross-border referral extension, the country's languages, the location and the
 * endpoint — everything the hub's profiles require on write. The generator also counts what it made (services per
 * specialty, per country, per name prefix), so the benchmark can check the hub's answers against exact totals.
 */
public final class DirectoryGenerator {

    /** Resources per unit: Organization, Location, Endpoint and the services. */
    public static final int UNIT_SIZE = 3 + DirectoryGenerator.SERVICES_PER_UNIT;

    static final int SERVICES_PER_UNIT = 5;

    private static final String BCP_47 = "urn:ietf:bcp:47";
    private static final SearchNames SEARCH_NAMES = SearchNames.standard();
    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{InCombiningDiacriticalMarks}+");

    /**
     * A cooperating country: where the hospitals are, the language their names are in, the languages they serve in.
     */
    record Country(
            String code, String nameLanguage, String hospitalPattern, List<String> cities, List<String> spoken) {}

    static final List<Country> COUNTRIES = List.of(
            new Country(
                    "BG",
                    "bg",
                    "МБАЛ %s",
                    List.of("Благоевград", "Петрич", "Сандански", "Кюстендил"),
                    List.of("bg", "en")),
            new Country(
                    "MK",
                    "mk",
                    "Клиничка болница %s",
                    List.of("Штип", "Струмица", "Кочани", "Велес"),
                    List.of("mk", "sq", "en")),
            new Country(
                    "SI",
                    "sl",
                    "Splošna bolnišnica %s",
                    List.of("Maribor", "Celje", "Murska Sobota", "Ptuj"),
                    List.of("sl", "de", "en")),
            new Country(
                    "AT",
                    "de",
                    "Klinikum %s",
                    List.of("Klagenfurt", "Graz", "Villach", "Wolfsberg"),
                    List.of("de", "en")),
            new Country(
                    "UA",
                    "uk",
                    "Обласна клінічна лікарня %s",
                    List.of("Львів", "Ужгород", "Луцьк", "Рівне"),
                    List.of("uk", "en", "pl")),
            new Country(
                    "PL",
                    "pl",
                    "Szpital Wojewódzki %s",
                    List.of("Rzeszów", "Przemyśl", "Lublin", "Zamość"),
                    List.of("pl", "uk", "en")),
            new Country(
                    "LT",
                    "lt",
                    "Ligoninė %s",
                    List.of("Vilnius", "Kaunas", "Klaipėda", "Šiauliai"),
                    List.of("lt", "ru", "en")),
            new Country(
                    "LV",
                    "lv",
                    "Slimnīca %s",
                    List.of("Rīga", "Liepāja", "Daugavpils", "Ventspils"),
                    List.of("lv", "ru", "en")),
            new Country(
                    "EE", "et", "Haigla %s", List.of("Tallinn", "Tartu", "Pärnu", "Narva"), List.of("et", "ru", "en")),
            new Country(
                    "RU",
                    "ru",
                    "Областная больница %s",
                    List.of("Мурманск", "Петрозаводск", "Псков", "Архангельск"),
                    List.of("ru")),
            new Country(
                    "BY", "ru", "Больница %s", List.of("Минск", "Гродно", "Брест", "Витебск"), List.of("be", "ru")));

    /** A shared specialty: its code, English display and its names by language. */
    record Specialty(String code, String display, Map<String, String> names) {}

    private final List<Specialty> specialties;
    private final long seed;
    private final String runTag;

    /**
     * @param seed the seed; the same seed and unit numbers give the same resources
     * @param runTag goes into the business identifiers, so two loads into one database stay distinguishable
     */
    public DirectoryGenerator(long seed, String runTag) {
        this.seed = seed;
        this.runTag = runTag;
        this.specialties = loadSpecialties();
    }

    List<Specialty> specialties() {
        return specialties;
    }

    /** What one unit (hospital) holds, as plain values: enough to build its resources and to count them. */
    record Unit(int index, Country country, String city, String hospitalName, List<Specialty> services) {

        String serviceName(Specialty specialty) {
            String name = specialty.names().getOrDefault(country.nameLanguage(), specialty.display());
            return name + " – " + hospitalName;
        }
    }

    /** Unit {@code index}: its country, name and services depend only on the seed and the index. */
    Unit unit(int index) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        Country country = COUNTRIES.get(random.nextInt(COUNTRIES.size()));
        String city = country.cities().get(random.nextInt(country.cities().size()));
        String hospital = String.format(Locale.ROOT, country.hospitalPattern(), city) + " " + (index + 1);
        List<Specialty> chosen = new ArrayList<>(SERVICES_PER_UNIT);
        while (chosen.size() < SERVICES_PER_UNIT) {
            Specialty s = specialties.get(random.nextInt(specialties.size()));
            if (!chosen.contains(s)) {
                chosen.add(s);
            }
        }
        return new Unit(index, country, city, hospital, List.copyOf(chosen));
    }

    /** A transaction Bundle creating units {@code from} (inclusive) to {@code to} (exclusive). */
    Bundle transaction(int from, int to) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = from; i < to; i++) {
            for (Resource resource : resources(unit(i))) {
                String fullUrl = resource.getIdElement().getValue();
                resource.setId((String) null);
                bundle.addEntry()
                        .setFullUrl(fullUrl)
                        .setResource(resource)
                        .getRequest()
                        .setMethod(Bundle.HTTPVerb.POST)
                        .setUrl(resource.fhirType());
            }
        }
        return bundle;
    }

    /** The unit's resources, each with a {@code urn:uuid:} id the others refer to. */
    List<Resource> resources(Unit unit) {
        String system = CbhCanonical.partnerIdentifierSystem(
                "bench-" + unit.country().code().toLowerCase(Locale.ROOT), "directory");
        String key = runTag + "-" + unit.index();
        Organization organization = new Organization();
        organization.setId(urn("org", unit.index()));
        organization.addIdentifier().setSystem(system).setValue("org-" + key);
        organization.setActive(true);
        organization.setName(unit.hospitalName());
        organization.addAddress(address(unit));

        Location location = new Location();
        location.setId(urn("loc", unit.index()));
        location.addIdentifier().setSystem(system).setValue("loc-" + key);
        location.setStatus(Location.LocationStatus.ACTIVE);
        location.setName(unit.hospitalName());
        location.setAddress(address(unit));
        location.setManagingOrganization(new Reference(organization.getId()));

        Endpoint endpoint = new Endpoint();
        endpoint.setId(urn("ep", unit.index()));
        endpoint.addIdentifier().setSystem(system).setValue("ep-" + key);
        endpoint.setStatus(Endpoint.EndpointStatus.ACTIVE);
        endpoint.setConnectionType(
                new Coding("http://terminology.hl7.org/CodeSystem/endpoint-connection-type", "hl7-fhir-rest", null));
        endpoint.addPayloadType().setText("FHIR R4");
        endpoint.setAddress("https://fhir.bench-" + unit.country().code().toLowerCase(Locale.ROOT) + ".example/h"
                + (unit.index() + 1) + "/fhir");
        endpoint.setManagingOrganization(new Reference(organization.getId()));

        List<Resource> resources = new ArrayList<>(UNIT_SIZE);
        resources.add(organization);
        resources.add(location);
        resources.add(endpoint);
        int n = 0;
        for (Specialty specialty : unit.services()) {
            HealthcareService service = new HealthcareService();
            service.setId(urn("hs" + n, unit.index()));
            service.addIdentifier().setSystem(system).setValue("hs-" + key + "-" + n++);
            Extension crossBorder = new Extension(CbhCanonical.EXT_CROSS_BORDER_REFERRAL);
            crossBorder.addExtension(new Extension("accepts", new BooleanType(true)));
            service.addExtension(crossBorder);
            service.setActive(true);
            service.setProvidedBy(new Reference(organization.getId()));
            service.addSpecialty()
                    .addCoding(new Coding(CbhCanonical.CS_SPECIALTY, specialty.code(), specialty.display()));
            service.setName(unit.serviceName(specialty));
            for (String language : unit.country().spoken()) {
                service.addCommunication().addCoding().setSystem(BCP_47).setCode(language);
            }
            service.addLocation(new Reference(location.getId()));
            service.addEndpoint(new Reference(endpoint.getId()));
            resources.add(service);
        }
        return resources;
    }

    private String urn(String kind, int index) {
        return "urn:uuid:"
                + UUID.nameUUIDFromBytes((runTag + "/" + kind + "/" + index).getBytes(StandardCharsets.UTF_8));
    }

    private static Address address(Unit unit) {
        return new Address().setCity(unit.city()).setCountry(unit.country().code());
    }

    /**
     * What units {@code 0..units-1} hold, counted: services per specialty code, per country, per language and per
     * name prefix (for the given prefixes, matched as the hub's name search does: the start of the name or of any
     * of its words, in its script or in Latin-ASCII, the query also in Latin letters; case and accents ignored).
     */
    Totals count(int units, List<String> namePrefixes) {
        Map<String, Long> bySpecialty = new LinkedHashMap<>();
        Map<String, Long> byCountry = new LinkedHashMap<>();
        Map<String, Long> bySpecialtyAndCountry = new LinkedHashMap<>();
        Map<String, Long> byNamePrefix = new LinkedHashMap<>();
        Map<String, Long> byLanguage = new LinkedHashMap<>();
        List<List<String>> normalisedQueries = namePrefixes.stream()
                .map(p -> SEARCH_NAMES.queryForms(p).stream()
                        .map(DirectoryGenerator::normalise)
                        .toList())
                .toList();
        namePrefixes.forEach(p -> byNamePrefix.put(p, 0L));
        for (int i = 0; i < units; i++) {
            Unit unit = unit(i);
            for (Specialty specialty : unit.services()) {
                bySpecialty.merge(specialty.code(), 1L, Long::sum);
                byCountry.merge(unit.country().code(), 1L, Long::sum);
                bySpecialtyAndCountry.merge(
                        specialty.code() + "|" + unit.country().code(), 1L, Long::sum);
                unit.country().spoken().forEach(l -> byLanguage.merge(l, 1L, Long::sum));
                if (namePrefixes.isEmpty()) {
                    continue;
                }
                List<String> names = searchedNames(unit.serviceName(specialty));
                for (int p = 0; p < namePrefixes.size(); p++) {
                    List<String> query = normalisedQueries.get(p);
                    if (names.stream().anyMatch(name -> query.stream().anyMatch(name::startsWith))) {
                        byNamePrefix.merge(namePrefixes.get(p), 1L, Long::sum);
                    }
                }
            }
        }
        return new Totals(
                (long) units * UNIT_SIZE,
                units,
                (long) units * SERVICES_PER_UNIT,
                bySpecialty,
                byCountry,
                bySpecialtyAndCountry,
                byNamePrefix,
                byLanguage);
    }

    /**
     * Exact totals of a generated directory.
     *
     * @param resources all resources
     * @param organizations Organizations (as many Locations and Endpoints)
     * @param services HealthcareServices
     * @param bySpecialty services per {@code cbh-specialty} code
     * @param byCountry services per country of their location
     * @param bySpecialtyAndCountry services per {@code code|country}
     * @param byNamePrefix services the hub's name search finds for the prefix
     * @param byLanguage services per language of {@code communication}
     */
    record Totals(
            long resources,
            long organizations,
            long services,
            Map<String, Long> bySpecialty,
            Map<String, Long> byCountry,
            Map<String, Long> bySpecialtyAndCountry,
            Map<String, Long> byNamePrefix,
            Map<String, Long> byLanguage) {}

    /** What the hub's name search indexes of a service name (which has no language): the name and its forms. */
    private static List<String> searchedNames(String name) {
        List<String> names = new ArrayList<>();
        names.add(normalise(name));
        SEARCH_NAMES.forms(List.of(new SearchNames.NameText(name, null, true))).stream()
                .map(DirectoryGenerator::normalise)
                .forEach(names::add);
        return names;
    }

    /** As HAPI FHIR indexes strings for search: accents stripped, upper case. */
    static String normalise(String text) {
        return COMBINING_MARKS
                .matcher(Normalizer.normalize(text, Normalizer.Form.NFD))
                .replaceAll("")
                .toUpperCase(Locale.ROOT);
    }

    private static List<Specialty> loadSpecialties() {
        try (InputStream in =
                DirectoryGenerator.class.getResourceAsStream("/cbhealth/fhir/CodeSystem/cbh-specialty.json")) {
            if (in == null) {
                throw new IllegalStateException("cbh-specialty CodeSystem not on the class path");
            }
            CodeSystem codeSystem = FhirContext.forR4Cached().newJsonParser().parseResource(CodeSystem.class, in);
            List<Specialty> list = new ArrayList<>();
            for (CodeSystem.ConceptDefinitionComponent concept : codeSystem.getConcept()) {
                Map<String, String> names = new LinkedHashMap<>();
                concept.getDesignation().forEach(d -> names.putIfAbsent(d.getLanguage(), d.getValue()));
                list.add(new Specialty(concept.getCode(), concept.getDisplay(), Map.copyOf(names)));
            }
            return List.copyOf(list);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
