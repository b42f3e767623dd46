package org.cbhealth.bench.ingestion;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Directory transaction Bundles as a partner would push them: groups of an Organization with its Location,
 * HealthcareService and Endpoint, referring to each other by {@code urn:uuid} full URLs, conforming to the
 * {@code cbh-organization}, {@code cbh-location}, {@code cbh-healthcareservice} and {@code cbh-endpoint} profiles.
 * The content comes from a seeded {@link Random}, so both servers receive the same Bundles; only the organizations'
 * business identifiers carry the server's label, so each server's records are its own.
 */
public final class DirectoryBundles {

    /** Organization, Location, HealthcareService, Endpoint. */
    public static final int RESOURCES_PER_GROUP = 4;

    /** Business identifiers of the benchmark's organizations. */
    static final String IDENTIFIER_SYSTEM = "https://fhir.cbhealth.eu/sid/bench/organization";

    private static final String LANGUAGE_SYSTEM = "urn:ietf:bcp:47";

    /** A country, a city in it, the language spoken there, and the start of a hospital's name there. */
    private record Place(String country, String city, String language, String hospital) {}

    private static final List<Place> PLACES = List.of(
            new Place("BG", "Благоевград", "bg", "МБАЛ"),
            new Place("MK", "Штип", "mk", "Клиничка болница"),
            new Place("SI", "Maribor", "sl", "Univerzitetni klinični center"),
            new Place("AT", "Klagenfurt", "de", "Klinikum"),
            new Place("UA", "Львів", "uk", "Лікарня"),
            new Place("PL", "Rzeszów", "pl", "Szpital Wojewódzki"),
            new Place("LT", "Klaipėda", "lt", "Klaipėdos ligoninė"),
            new Place("LV", "Liepāja", "lv", "Reģionālā slimnīca"),
            new Place("EE", "Tartu", "et", "Ülikooli Kliinikum"));

    private static final List<String> SPECIALTIES = List.of(
            "cardiology",
            "neurology",
            "paediatrics",
            "orthopaedics",
            "medical-oncology",
            "ophthalmology",
            "urology",
            "nephrology",
            "psychiatry",
            "general-surgery");

    private final FhirContext fhirContext;
    private final long seed;
    private final int entries;

    /**
     * @param fhirContext an R4 context, to serialise the Bundles
     * @param seed seed of the content; the same seed gives the same Bundles
     * @param entries entries per Bundle, a multiple of {@link #RESOURCES_PER_GROUP}
     */
    public DirectoryBundles(FhirContext fhirContext, long seed, int entries) {
        if (entries <= 0 || entries % RESOURCES_PER_GROUP != 0) {
            throw new IllegalArgumentException("entries must be a positive multiple of " + RESOURCES_PER_GROUP);
        }
        this.fhirContext = fhirContext;
        this.seed = seed;
        this.entries = entries;
    }

    /**
     * Bundle number {@code index} for the server labelled {@code server} ({@code hub} or {@code plain}), in run
     * {@code run}: the same content for every label, identifiers {@code <server>-<run>-<index>-<group>}.
     */
    public Bundle bundle(String server, String run, int index) {
        Random random = new Random(seed * 1_000_003L + index);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int group = 0; group < entries / RESOURCES_PER_GROUP; group++) {
            Place place = PLACES.get(random.nextInt(PLACES.size()));
            String specialty = SPECIALTIES.get(random.nextInt(SPECIALTIES.size()));
            int number = 1 + random.nextInt(9999);
            String organizationUrl = urn(random);

            Organization organization = new Organization();
            organization
                    .addIdentifier()
                    .setSystem(IDENTIFIER_SYSTEM)
                    .setValue(server + "-" + run + "-" + index + "-" + group);
            organization.setActive(true);
            organization.setName(place.hospital() + " " + place.city() + " " + number);
            organization.addAddress(address(place, number));
            add(bundle, organizationUrl, organization);

            Location location = new Location();
            location.setName(place.hospital() + " " + place.city() + " " + number + " — main building");
            location.setAddress(address(place, number));
            location.setManagingOrganization(new Reference(organizationUrl));
            add(bundle, urn(random), location);

            HealthcareService service = new HealthcareService();
            Extension crossBorder = new Extension(CbhCanonical.EXT_CROSS_BORDER_REFERRAL);
            crossBorder.addExtension("accepts", new BooleanType(random.nextInt(4) != 0));
            service.addExtension(crossBorder);
            service.setActive(true);
            service.setProvidedBy(new Reference(organizationUrl));
            service.addSpecialty(new CodeableConcept(new Coding(CbhCanonical.CS_SPECIALTY, specialty, null)));
            service.setName(specialty + " " + number);
            service.addCommunication(new CodeableConcept(new Coding(LANGUAGE_SYSTEM, place.language(), null)));
            service.addCommunication(new CodeableConcept(new Coding(LANGUAGE_SYSTEM, "en", null)));
            add(bundle, urn(random), service);

            Endpoint endpoint = new Endpoint();
            endpoint.setStatus(Endpoint.EndpointStatus.ACTIVE);
            endpoint.setConnectionType(new Coding(
                    "http://terminology.hl7.org/CodeSystem/endpoint-connection-type", "hl7-fhir-rest", null));
            endpoint.addPayloadType(
                    new CodeableConcept(new Coding("http://hl7.org/fhir/resource-types", "ServiceRequest", null)));
            endpoint.setAddress(
                    "https://fhir.h" + number + "." + place.country().toLowerCase() + ".example/r4");
            endpoint.setManagingOrganization(new Reference(organizationUrl));
            add(bundle, urn(random), endpoint);
        }
        return bundle;
    }

    /** {@link #bundle} as FHIR JSON, ready to post. */
    public byte[] json(String server, String run, int index) {
        return fhirContext
                .newJsonParser()
                .encodeResourceToString(bundle(server, run, index))
                .getBytes(StandardCharsets.UTF_8);
    }

    public int entries() {
        return entries;
    }

    private static Address address(Place place, int number) {
        return new Address()
                .addLine("ul. " + number)
                .setCity(place.city())
                .setPostalCode(String.format("%04d", number))
                .setCountry(place.country());
    }

    private static String urn(Random random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "urn:uuid:" + UUID.nameUUIDFromBytes(bytes);
    }

    private static void add(Bundle bundle, String fullUrl, Resource resource) {
        bundle.addEntry()
                .setFullUrl(fullUrl)
                .setResource(resource)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl(resource.fhirType());
    }
}
