package org.cbhealth.routes.translate;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.directory.SpecialtyMapper;
import org.cbhealth.routes.fhir.FhirResourceReader;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIR directory data from a partner (IHE mCSD resources): one resource, or a {@code collection}, {@code batch},
 * {@code transaction}, {@code searchset} or {@code history} Bundle — what a partner posts on a REST or JMS channel,
 * and what the {@code fhir-poll} channel reads from the partner's {@code _history}.
 *
 * <p>Each record keeps the partner's own id as its local id ({@code Resource.id}, else the {@code Type/<id>} of a
 * PUT entry, else {@code id-} and a hash of its first business identifier), and gets the business identifier
 * {@code https://fhir.cbhealth.eu/sid/partner/<partner>/<type in lower case>} with that local id. References
 * between the records stay {@code Type/<local id>} (a {@code urn:uuid:} or full URL of an entry becomes that
 * entry's {@code Type/<local id>}, a version is dropped); the hub namespaces them when it imports the batch. The
 * partner server's {@code meta.versionId}, {@code meta.lastUpdated} and {@code meta.source} are dropped (the hub
 * keeps its own). A specialty in the partner's local code system gets the shared cross-border specialty its
 * ConceptMap maps it to; an unmapped one is kept and reported.
 *
 * <p>A {@code DELETE} entry ({@code Type/<id>} in {@code request.url}, as a history Bundle carries a deleted
 * version) withdraws the record. When a record appears more than once (the versions of a history), only its
 * latest version counts: the highest {@code versionId}, or else the first one, as a history lists the newest
 * first. Entries that are not directory resources, have neither id nor identifier, or cannot be read are refused
 * one by one with their position; the others are kept.
 */
public class FhirDirectoryTranslator implements MessageTranslator {

    /** The resource types of the directory (IHE mCSD), in the order a partner's records depend on each other. */
    public static final List<String> DIRECTORY_TYPES = List.of(
            "Organization",
            "Endpoint",
            "Location",
            "HealthcareService",
            "Practitioner",
            "PractitionerRole",
            "OrganizationAffiliation");

    private static final Set<Bundle.BundleType> BUNDLE_TYPES = Set.of(
            Bundle.BundleType.COLLECTION,
            Bundle.BundleType.BATCH,
            Bundle.BundleType.TRANSACTION,
            Bundle.BundleType.SEARCHSET,
            Bundle.BundleType.HISTORY);

    /** {@code Type/id} or {@code Type/id/_history/version}, optionally after a base URL. */
    private static final Pattern RECORD_URL =
            Pattern.compile("^(?:.*/)?([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})(?:/_history/([^/?#]+))?$");

    private final FhirResourceReader reader;
    private final FhirTerser terser;
    private final SpecialtyMapper specialties;

    public FhirDirectoryTranslator(FhirContext fhirContext, FhirResourceReader reader, SpecialtyMapper specialties) {
        this.reader = reader;
        this.terser = fhirContext.newTerser();
        this.specialties = specialties;
    }

    @Override
    public Translation translate(byte[] body, TranslationContext context) {
        IBaseResource parsed = reader.read(new String(body, StandardCharsets.UTF_8));
        List<InputProblem> rejected = new ArrayList<>();
        Map<String, Candidate> latest = new LinkedHashMap<>();
        Map<String, String> localReferences = new LinkedHashMap<>();
        if (parsed instanceof Bundle bundle) {
            if (!BUNDLE_TYPES.contains(bundle.getType())) {
                throw new InvalidMessageException("Bundle.type: '"
                        + (bundle.getType() == null ? "" : bundle.getType().toCode())
                        + "' is not taken on a directory channel; send a collection, batch, transaction, searchset"
                        + " or history Bundle");
            }
            for (int i = 0; i < bundle.getEntry().size(); i++) {
                Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
                String location = "Bundle.entry[" + i + "]";
                try {
                    Candidate candidate = candidate(entry, i);
                    keep(latest, candidate);
                    if (entry.hasFullUrl() && candidate.resource() != null) {
                        localReferences.put(entry.getFullUrl(), candidate.key());
                    }
                } catch (RefusedEntry refused) {
                    rejected.add(new InputProblem(location, refused.getMessage()));
                }
            }
        } else {
            Resource resource = (Resource) parsed;
            try {
                keep(latest, record(resource, null, 0));
            } catch (RefusedEntry refused) {
                throw new InvalidMessageException(
                        "nothing of the message could be taken",
                        List.of(new InputProblem(resource.fhirType(), refused.getMessage())));
            }
        }
        List<Resource> resources = new ArrayList<>();
        List<String> withdrawn = new ArrayList<>();
        List<String> unmapped = new ArrayList<>();
        for (String type : DIRECTORY_TYPES) {
            for (Candidate candidate : latest.values()) {
                if (!candidate.type().equals(type)) {
                    continue;
                }
                if (candidate.resource() == null) {
                    withdrawn.add(candidate.key());
                } else {
                    resources.add(prepare(candidate, localReferences, context, unmapped));
                }
            }
        }
        if (resources.isEmpty() && withdrawn.isEmpty() && !rejected.isEmpty()) {
            throw new InvalidMessageException("nothing of the message could be taken", rejected);
        }
        return new Translation(resources, rejected, unmapped, withdrawn);
    }

    /** A record (or its withdrawal) as one entry gives it. */
    private Candidate candidate(Bundle.BundleEntryComponent entry, int position) {
        Bundle.HTTPVerb method = entry.hasRequest() ? entry.getRequest().getMethod() : null;
        if (method == Bundle.HTTPVerb.DELETE) {
            String url = entry.getRequest().getUrl();
            Matcher record = url == null ? null : RECORD_URL.matcher(url);
            if (record == null || !record.matches()) {
                throw new RefusedEntry("request.url: '" + url + "': a withdrawal must name the record as Type/<id>");
            }
            String type = directoryType(record.group(1));
            return new Candidate(type, record.group(2), null, version(record.group(3), entry), position);
        }
        if (!entry.hasResource()) {
            throw new RefusedEntry("entry without a resource");
        }
        if (entry.hasRequest()
                && entry.getRequest().hasUrl()
                && entry.getRequest().getUrl().contains("?")) {
            // a search URL may match any partner's records: a partner's channel writes only its own, keyed on its ids
            // (an ifNoneExist is not a target: the record is still keyed in the partner's own namespace)
            throw new RefusedEntry("request.url: '" + entry.getRequest().getUrl() + "': a conditional update is not"
                    + " taken on a partner's channel, as it could match another partner's records; name the record"
                    + " as Type/<id>");
        }
        String putId = null;
        if (method == Bundle.HTTPVerb.PUT && entry.getRequest().hasUrl()) {
            Matcher record = RECORD_URL.matcher(entry.getRequest().getUrl());
            if (record.matches()) {
                putId = record.group(2);
            }
        }
        return record(entry.getResource(), putId, position);
    }

    private Candidate record(Resource resource, String putId, int position) {
        String type = directoryType(resource.fhirType());
        String localId = ownId(resource).orElse(putId);
        if (localId == null) {
            localId = firstIdentifier(resource)
                    .map(FhirDirectoryTranslator::hashedId)
                    .orElseThrow(() -> new RefusedEntry(type + " has neither an id nor an identifier: a directory"
                            + " record needs the partner's own id (" + type + ".id, or PUT " + type + "/<id>) or a"
                            + " business identifier"));
        }
        Long version = resource.getMeta().hasVersionId()
                ? number(resource.getMeta().getVersionId())
                : number(resource.getIdElement().getVersionIdPart());
        return new Candidate(type, localId, resource, version, position);
    }

    /** The resource as the hub takes it: local id, the partner's namespaced identifier, references, specialties. */
    private Resource prepare(
            Candidate candidate,
            Map<String, String> localReferences,
            TranslationContext context,
            List<String> unmapped) {
        Resource resource = candidate.resource();
        resource.setIdElement(new IdType(candidate.type(), candidate.localId()));
        resource.getMeta().setVersionId(null);
        resource.getMeta().setLastUpdated(null);
        resource.getMeta().setSource(null);
        String system = CbhCanonical.partnerIdentifierSystem(
                context.partnerId(), candidate.type().toLowerCase(Locale.ROOT));
        boolean identified = resource.getNamedProperty("identifier").getValues().stream()
                .anyMatch(v -> v instanceof Identifier id && system.equals(id.getSystem()));
        if (!identified) {
            ((Identifier) resource.addChild("identifier")).setSystem(system).setValue(candidate.localId());
        }
        for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            String target = reference.getReference();
            if (target == null || target.startsWith("#")) {
                continue;
            }
            if (localReferences.containsKey(target)) {
                reference.setReference(localReferences.get(target));
            } else {
                Matcher record = RECORD_URL.matcher(target);
                if (record.matches() && !target.contains("://") && record.group(3) != null) {
                    reference.setReference(record.group(1) + "/" + record.group(2));
                }
            }
        }
        List<CodeableConcept> specialties = resource instanceof HealthcareService service
                ? service.getSpecialty()
                : resource instanceof PractitionerRole role ? role.getSpecialty() : List.of();
        for (CodeableConcept specialty : specialties) {
            if (!mapSpecialty(specialty, context)) {
                unmapped.add(candidate.key() + ": "
                        + specialty.getCoding().stream()
                                .map(c -> c.getSystem() + "|" + c.getCode())
                                .reduce((a, b) -> a + ", " + b)
                                .orElse(specialty.getText()));
            }
        }
        return resource;
    }

    /** Adds the shared specialty a local coding maps to; false when the concept has none and none maps. */
    private boolean mapSpecialty(CodeableConcept specialty, TranslationContext context) {
        if (specialty.getCoding().stream().anyMatch(c -> CbhCanonical.CS_SPECIALTY.equals(c.getSystem()))) {
            return true;
        }
        for (Coding coding : List.copyOf(specialty.getCoding())) {
            String system = coding.hasSystem() ? coding.getSystem() : context.localSpecialtySystem();
            Optional<Coding> shared =
                    system == null ? Optional.empty() : specialties.toShared(system, coding.getCode());
            if (shared.isPresent()) {
                specialty.addCoding(shared.get());
                return true;
            }
        }
        return false;
    }

    private static void keep(Map<String, Candidate> latest, Candidate candidate) {
        Candidate seen = latest.get(candidate.key());
        if (seen == null
                || (candidate.version() != null && seen.version() != null && candidate.version() > seen.version())) {
            latest.put(candidate.key(), candidate);
        }
    }

    private static String directoryType(String type) {
        if (!DIRECTORY_TYPES.contains(type)) {
            throw new RefusedEntry(type + " is not a directory resource; a directory channel takes "
                    + String.join(", ", DIRECTORY_TYPES));
        }
        return type;
    }

    /** The partner's id of the resource, unless it is only an entry's {@code urn:} placeholder. */
    private static Optional<String> ownId(Resource resource) {
        IdType id = resource.getIdElement();
        if (id.isEmpty() || id.getValue().startsWith("urn:") || !id.hasIdPart()) {
            return Optional.empty();
        }
        return Optional.of(id.getIdPart());
    }

    private static Optional<Identifier> firstIdentifier(Resource resource) {
        for (Base value : resource.getNamedProperty("identifier").getValues()) {
            if (value instanceof Identifier identifier && identifier.hasSystem() && identifier.hasValue()) {
                return Optional.of(identifier);
            }
        }
        return Optional.empty();
    }

    /** {@code id-} and the first 20 hex digits of the SHA-256 of {@code system|value}: stable, a valid FHIR id. */
    static String hashedId(Identifier identifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((identifier.getSystem() + "|" + identifier.getValue()).getBytes(StandardCharsets.UTF_8));
            return "id-" + HexFormat.of().formatHex(digest).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The version of a withdrawal: from its URL, else the entry's ETag {@code W/"3"}. */
    private static Long version(String fromUrl, Bundle.BundleEntryComponent entry) {
        if (fromUrl != null) {
            return number(fromUrl);
        }
        if (entry.hasResponse() && entry.getResponse().hasEtag()) {
            return number(entry.getResponse().getEtag().replaceAll("^W/\"|\"$", ""));
        }
        return null;
    }

    private static Long number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One record of the message, or its withdrawal ({@code resource} null), with the version it had. */
    private record Candidate(String type, String localId, Resource resource, Long version, int position) {
        String key() {
            return type + "/" + localId;
        }
    }

    /** An entry refused with its reason; the others go on. */
    private static final class RefusedEntry extends RuntimeException {
        RefusedEntry(String reason) {
            super(reason, null, false, false);
        }
    }
}
