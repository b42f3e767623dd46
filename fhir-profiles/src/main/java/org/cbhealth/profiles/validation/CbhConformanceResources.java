package org.cbhealth.profiles.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.NamingSystem;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * The hub's conformance content — profiles, extensions, code systems, value sets, concept maps, naming
 * systems — read from the classpath folder {@value #ROOT}. The files are listed in {@value #INDEX} (a test
 * keeps the list complete), which works the same from a folder and from inside the hub's jar.
 */
public final class CbhConformanceResources {

    public static final String ROOT = "cbhealth/fhir/";
    public static final String INDEX = ROOT + "index.txt";

    private final List<IBaseResource> all;
    private final Map<String, String> profileByType;

    private CbhConformanceResources(List<IBaseResource> all) {
        this.all = Collections.unmodifiableList(all);
        Map<String, String> byType = new TreeMap<>();
        for (StructureDefinition profile : profiles()) {
            if (profile.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE) {
                byType.put(profile.getType(), profile.getUrl());
            }
        }
        this.profileByType = Collections.unmodifiableMap(byType);
    }

    /** Reads every listed file, strictly; a file that does not parse stops the load with its name. */
    public static CbhConformanceResources load(FhirContext fhirContext) {
        IParser parser = fhirContext.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        List<IBaseResource> resources = new ArrayList<>();
        for (String file : index()) {
            try (InputStream in = resource(ROOT + file)) {
                resources.add(parser.parseResource(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read conformance resource " + ROOT + file, e);
            } catch (DataFormatException e) {
                throw new IllegalStateException(
                        "Invalid conformance resource " + ROOT + file + ": " + e.getMessage(), e);
            }
        }
        return new CbhConformanceResources(resources);
    }

    /** A set of conformance resources given directly (tests of the chain with broken content). */
    static CbhConformanceResources of(List<IBaseResource> resources) {
        return new CbhConformanceResources(new ArrayList<>(resources));
    }

    /** The files of the index, relative to {@value #ROOT}, e.g. {@code StructureDefinition/cbh-patient.json}. */
    public static List<String> index() {
        try (InputStream in = resource(INDEX)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + INDEX, e);
        }
    }

    public List<IBaseResource> all() {
        return all;
    }

    /** All StructureDefinitions: resource profiles and extensions. */
    public List<StructureDefinition> profiles() {
        return all.stream()
                .filter(StructureDefinition.class::isInstance)
                .map(StructureDefinition.class::cast)
                .toList();
    }

    /** The CBHealth profile every resource of this type must conform to, if the type is profiled. */
    public Optional<String> profileFor(String resourceType) {
        return Optional.ofNullable(profileByType.get(resourceType));
    }

    /**
     * The identifier system (preferred URI of a NamingSystem) that an OID names, as HL7 v2 senders give it in
     * the assigning authority of an identifier ({@code BG-EGN&1.2.100.1&ISO}).
     */
    public Optional<String> identifierSystemForOid(String oid) {
        return all.stream()
                .filter(NamingSystem.class::isInstance)
                .map(NamingSystem.class::cast)
                .filter(ns -> ns.getUniqueId().stream()
                        .anyMatch(id -> id.getType() == NamingSystem.NamingSystemIdentifierType.OID
                                && id.getValue().equals(oid)))
                .flatMap(ns -> ns.getUniqueId().stream())
                .filter(id -> id.getType() == NamingSystem.NamingSystemIdentifierType.URI && id.getPreferred())
                .map(NamingSystem.NamingSystemUniqueIdComponent::getValue)
                .findFirst();
    }

    /** The profiled resource types and their profiles. */
    public Map<String, String> profilesByType() {
        return profileByType;
    }

    private static InputStream resource(String path) {
        InputStream in = CbhConformanceResources.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("Missing conformance resource on the classpath: " + path);
        }
        return in;
    }
}
