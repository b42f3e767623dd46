package org.cbhealth.routes.directory.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IllformedLocaleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cbhealth.routes.directory.model.AffiliationRecord;
import org.cbhealth.routes.directory.model.CatalogueRead;
import org.cbhealth.routes.directory.model.Code;
import org.cbhealth.routes.directory.model.DepartmentRecord;
import org.cbhealth.routes.directory.model.DirectoryCatalogue;
import org.cbhealth.routes.directory.model.EndpointRecord;
import org.cbhealth.routes.directory.model.GeoPoint;
import org.cbhealth.routes.directory.model.LocalizedText;
import org.cbhealth.routes.directory.model.OrganizationRef;
import org.cbhealth.routes.directory.model.PersonName;
import org.cbhealth.routes.directory.model.PostalAddress;
import org.cbhealth.routes.directory.model.PractitionerRecord;
import org.cbhealth.routes.directory.model.PractitionerRoleRecord;
import org.cbhealth.routes.directory.model.Qualification;
import org.cbhealth.routes.directory.model.SiteRecord;
import org.cbhealth.routes.directory.model.Telecom;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;

/**
 * Reads a partner's directory pushed as JSON ({@code schemas/directory.schema.json}, documented in {@code
 * docs/directory-json.md}) into a {@link DirectoryCatalogue}.
 *
 * <p>The document is parsed within limits (size, nesting depth, string and number length; duplicate keys and
 * trailing content refused; no polymorphic typing) and checked against the published JSON Schema, then record by
 * record against what a schema cannot say: language tags name ISO 639 languages, countries are ISO 3166 codes,
 * dates are real and in order, codes are unique within their kind. Every problem is reported with the JSON pointer of
 * its field ({@code /departments/3/specialties}). A record with a problem is refused as a whole and the others are
 * kept; a practitioner's role is a record of its own. Malformed JSON, or a problem outside the records, refuses the
 * whole message.
 */
public class DirectoryJsonReader {

    /** Where the published JSON Schema is on the classpath. */
    public static final String SCHEMA = "/schemas/directory.schema.json";

    private static final Set<String> ISO_LANGUAGES = Set.of(Locale.getISOLanguages());
    private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Set<String> KINDS =
            Set.of("sites", "departments", "practitioners", "endpoints", "affiliations");

    private final ObjectMapper mapper;
    private final JsonSchema schema;

    public DirectoryJsonReader() {
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .deactivateDefaultTyping()
                .build();
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(64L * 1024 * 1024)
                        .maxNestingDepth(16)
                        .maxStringLength(100_000)
                        .maxNameLength(1_000)
                        .maxNumberLength(32)
                        .build());
        this.schema = loadSchema(mapper);
    }

    /**
     * @return the accepted records and each refused record's problems
     * @throws InvalidMessageException when the message is not JSON, not a directory object, or has a problem outside
     *     its records (an unknown top-level field, a list that is not a list)
     */
    public CatalogueRead read(byte[] body) {
        JsonNode tree = parse(body);
        Map<String, List<InputProblem>> byRecord = new LinkedHashMap<>();
        List<InputProblem> outside = new ArrayList<>();
        for (ValidationMessage message : schema.validate(tree)) {
            InputProblem problem = problem(message);
            String record = recordPointer(message.getInstanceLocation());
            if (record == null) {
                outside.add(problem);
            } else {
                byRecord.computeIfAbsent(record, r -> new ArrayList<>()).add(problem);
            }
        }
        if (!outside.isEmpty()) {
            List<InputProblem> all = new ArrayList<>(outside);
            byRecord.values().forEach(all::addAll);
            throw new InvalidMessageException("Directory refused", all);
        }
        return new Records(tree, byRecord).read();
    }

    private JsonNode parse(byte[] body) {
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new InvalidMessageException(
                    "JSON beyond the hub's limits: " + e.getOriginalMessage().replaceAll(", from `[^`]*`", ""), e);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidMessageException("Not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidMessageException("Not readable as JSON: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidMessageException(
                    "Not a directory: expected a JSON object with sites, departments, practitioners, endpoints or"
                            + " affiliations");
        }
        return tree;
    }

    /** The records of one message, bound and checked one by one. */
    private final class Records {

        private final JsonNode tree;
        private final Map<String, List<InputProblem>> schemaProblems;
        private final List<InputProblem> refused = new ArrayList<>();
        /** Per kind, for each code, the pointer of the accepted record that has it. */
        private final Map<String, Map<String, String>> codes = new HashMap<>();

        Records(JsonNode tree, Map<String, List<InputProblem>> schemaProblems) {
            this.tree = tree;
            this.schemaProblems = schemaProblems;
        }

        CatalogueRead read() {
            List<SiteRecord> sites = each("sites", DirectoryJson.Site.class, this::site, SiteRecord::code);
            List<DepartmentRecord> departments =
                    each("departments", DirectoryJson.Department.class, this::department, DepartmentRecord::code);
            List<PractitionerRecord> practitioners = each(
                    "practitioners", DirectoryJson.Practitioner.class, this::practitioner, PractitionerRecord::code);
            List<EndpointRecord> endpoints =
                    each("endpoints", DirectoryJson.Endpoint.class, this::endpoint, EndpointRecord::code);
            List<AffiliationRecord> affiliations =
                    each("affiliations", DirectoryJson.Affiliation.class, this::affiliation, AffiliationRecord::code);
            return new CatalogueRead(
                    new DirectoryCatalogue(sites, departments, practitioners, endpoints, affiliations), refused);
        }

        /** Turns one bound record into the model, adding its problems; the result is used only when there are none. */
        private interface Checker<J, M> {
            M check(J record, String at, List<InputProblem> problems);
        }

        private <J, M> List<M> each(String kind, Class<J> type, Checker<J, M> checker, Function<M, String> code) {
            List<M> accepted = new ArrayList<>();
            JsonNode records = tree.path(kind);
            for (int i = 0; i < records.size(); i++) {
                String at = "/" + kind + "/" + i;
                List<InputProblem> problems = new ArrayList<>(schemaProblems.getOrDefault(at, List.of()));
                M record = null;
                if (problems.isEmpty()) {
                    J bound = bind(records.get(i), type, at, problems);
                    record = bound == null ? null : checker.check(bound, at, problems);
                }
                if (record != null && problems.isEmpty()) {
                    unique(kind, code.apply(record), at, at + "/code", problems);
                }
                if (problems.isEmpty() && record != null) {
                    accepted.add(record);
                } else {
                    refused.addAll(problems);
                    if (kind.equals("practitioners")) {
                        refusedWithPractitioner(at);
                    }
                }
            }
            return accepted;
        }

        /** The problems of a refused practitioner's roles are reported too. */
        private void refusedWithPractitioner(String practitioner) {
            schemaProblems.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(practitioner + "/roles/"))
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> refused.addAll(e.getValue()));
        }

        private <T> T bind(JsonNode node, Class<T> type, String at, List<InputProblem> problems) {
            try {
                return mapper.treeToValue(node, type);
            } catch (JsonMappingException e) {
                problems.add(new InputProblem(at + pointer(e), e.getOriginalMessage()));
            } catch (JsonProcessingException e) {
                problems.add(new InputProblem(at, e.getOriginalMessage()));
            }
            return null;
        }

        private SiteRecord site(DirectoryJson.Site site, String at, List<InputProblem> problems) {
            List<LocalizedText> names = names(site.names(), at + "/names", problems);
            DirectoryJson.Address address = site.address();
            if (!ISO_COUNTRIES.contains(address.country())) {
                problems.add(new InputProblem(
                        at + "/address/country",
                        "'" + address.country() + "' is not an ISO 3166 alpha-2 country code"));
            }
            if (site.code().equals(site.partOf())) {
                problems.add(new InputProblem(at + "/partOf", "a site cannot be part of itself"));
            }
            return new SiteRecord(
                    site.code(),
                    at,
                    names,
                    new PostalAddress(
                            list(address.lines()),
                            address.city(),
                            address.district(),
                            address.postalCode(),
                            address.country()),
                    site.geo() == null
                            ? null
                            : new GeoPoint(site.geo().latitude(), site.geo().longitude()),
                    site.partOf(),
                    telecom(site.telecom()));
        }

        private DepartmentRecord department(
                DirectoryJson.Department department, String at, List<InputProblem> problems) {
            List<LocalizedText> names = names(department.names(), at + "/names", problems);
            List<String> languages = list(department.languages());
            for (int i = 0; i < languages.size(); i++) {
                language(languages.get(i), at + "/languages/" + i, problems);
            }
            return new DepartmentRecord(
                    department.code(),
                    at,
                    names,
                    codes(department.specialties()),
                    codes(department.serviceTypes()),
                    languages,
                    Boolean.TRUE.equals(department.acceptsCrossBorderReferrals()),
                    telecom(department.telecom()),
                    list(department.sites()),
                    list(department.endpoints()));
        }

        private PractitionerRecord practitioner(
                DirectoryJson.Practitioner practitioner, String at, List<InputProblem> problems) {
            List<PersonName> names = new ArrayList<>();
            for (int i = 0; i < practitioner.names().size(); i++) {
                DirectoryJson.PersonName name = practitioner.names().get(i);
                language(name.language(), at + "/names/" + i + "/language", problems);
                names.add(new PersonName(name.language(), name.family(), list(name.given()), list(name.prefix())));
            }
            if (!problems.isEmpty()
                    || codes.getOrDefault("practitioners", Map.of()).containsKey(practitioner.code())) {
                // refused (a duplicate code is reported by the caller): its roles are not read
                return new PractitionerRecord(practitioner.code(), at, names, List.of(), List.of());
            }
            List<PractitionerRoleRecord> roles = new ArrayList<>();
            List<JsonNode> roleNodes = list(practitioner.roles());
            for (int i = 0; i < roleNodes.size(); i++) {
                String roleAt = at + "/roles/" + i;
                List<InputProblem> roleProblems = new ArrayList<>(schemaProblems.getOrDefault(roleAt, List.of()));
                DirectoryJson.Role role = roleProblems.isEmpty()
                        ? bind(roleNodes.get(i), DirectoryJson.Role.class, roleAt, roleProblems)
                        : null;
                if (role != null) {
                    boolean ownCode = role.code() != null;
                    String code = ownCode ? role.code() : practitioner.code() + "-" + role.department();
                    unique("roles", code, roleAt, roleAt + (ownCode ? "/code" : "/department"), roleProblems);
                    if (roleProblems.isEmpty()) {
                        roles.add(new PractitionerRoleRecord(
                                code,
                                roleAt,
                                practitioner.code(),
                                role.department(),
                                codes(role.specialties()),
                                telecom(role.telecom())));
                    }
                }
                refused.addAll(roleProblems);
            }
            return new PractitionerRecord(
                    practitioner.code(),
                    at,
                    names,
                    list(practitioner.qualifications()).stream()
                            .map(q -> new Qualification(new Code(q.system(), q.code(), q.display()), q.issuer()))
                            .toList(),
                    roles);
        }

        private EndpointRecord endpoint(DirectoryJson.Endpoint endpoint, String at, List<InputProblem> problems) {
            return new EndpointRecord(
                    endpoint.code(),
                    at,
                    endpoint.name(),
                    new Code(null, endpoint.connectionType(), null),
                    endpoint.address(),
                    endpoint.payloadTypes().stream()
                            .map(c -> new Code(c.system(), c.code(), c.display()))
                            .toList(),
                    list(endpoint.payloadMimeTypes()));
        }

        private AffiliationRecord affiliation(
                DirectoryJson.Affiliation affiliation, String at, List<InputProblem> problems) {
            LocalDate start = date(affiliation.start(), at + "/start", problems);
            LocalDate end = affiliation.end() == null ? null : date(affiliation.end(), at + "/end", problems);
            if (start == null) {
                return null;
            }
            if (end != null && end.isBefore(start)) {
                problems.add(new InputProblem(at + "/end", "'" + end + "' is before the start, '" + start + "'"));
            }
            DirectoryJson.OrganizationIdentifier partner = affiliation.partner();
            return new AffiliationRecord(
                    affiliation.code(),
                    at,
                    new OrganizationRef(partner.system(), partner.value(), partner.name()),
                    codes(affiliation.roles()),
                    affiliation.description(),
                    start,
                    end,
                    codes(affiliation.specialties()),
                    list(affiliation.departments()),
                    list(affiliation.sites()));
        }

        /**
         * A code used twice within its kind: the first accepted record keeps it, the later one is refused.
         *
         * @param record the pointer of the record
         * @param field the pointer of the field the code comes from
         */
        private void unique(String kind, String code, String record, String field, List<InputProblem> problems) {
            Map<String, String> seen = codes.computeIfAbsent(kind, k -> new HashMap<>());
            String first = seen.get(code);
            if (first != null) {
                problems.add(new InputProblem(field, "'" + code + "' is already the code of " + first));
            } else if (problems.isEmpty()) {
                seen.put(code, record);
            }
        }
    }

    private static List<LocalizedText> names(Map<String, String> names, String at, List<InputProblem> problems) {
        List<LocalizedText> texts = new ArrayList<>();
        for (Map.Entry<String, String> name : names.entrySet()) {
            language(name.getKey(), at + "/" + name.getKey(), problems);
            texts.add(new LocalizedText(name.getKey(), name.getValue()));
        }
        return texts;
    }

    /** The same rule as the hub's profile validation: a well-formed BCP 47 tag of an ISO 639 language. */
    private static void language(String tag, String at, List<InputProblem> problems) {
        Locale locale;
        try {
            locale = new Locale.Builder().setLanguageTag(tag).build();
        } catch (IllformedLocaleException e) {
            problems.add(new InputProblem(at, "'" + tag + "' is not a well-formed BCP 47 language tag"));
            return;
        }
        if (!ISO_LANGUAGES.contains(locale.getLanguage())) {
            problems.add(new InputProblem(at, "'" + tag + "' does not name an ISO 639 language"));
        }
    }

    private static LocalDate date(String value, String at, List<InputProblem> problems) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeException e) {
            problems.add(new InputProblem(at, "'" + value + "' is not a valid date (YYYY-MM-DD)"));
            return null;
        }
    }

    private static List<Code> codes(List<String> codes) {
        return list(codes).stream().map(Code::of).toList();
    }

    private static List<Telecom> telecom(List<DirectoryJson.Telecom> telecom) {
        return list(telecom).stream()
                .map(t -> new Telecom(Telecom.Kind.valueOf(t.system().toUpperCase(Locale.ROOT)), t.value()))
                .toList();
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }

    /**
     * The record a schema problem belongs to ({@code /departments/3}, or {@code /practitioners/1/roles/0} for a
     * role), or null for a problem outside the records.
     */
    private static String recordPointer(JsonNodePath location) {
        int depth = location.getNameCount();
        if (depth < 2
                || !(location.getElement(0) instanceof String kind)
                || !KINDS.contains(kind)
                || !(location.getElement(1) instanceof Integer index)) {
            return null;
        }
        String record = "/" + kind + "/" + index;
        if (kind.equals("practitioners")
                && depth >= 4
                && "roles".equals(location.getElement(2))
                && location.getElement(3) instanceof Integer role) {
            return record + "/roles/" + role;
        }
        return record;
    }

    /**
     * A schema problem as the hub reports it: a missing or unknown field is named by its own pointer, and a value
     * that breaks a pattern, a format or a list of values is quoted before the reason (the schema's {@code message}
     * keyword says the reason in words).
     */
    private static InputProblem problem(ValidationMessage message) {
        String at = message.getInstanceLocation().toString();
        String reason = reason(message);
        return switch (message.getType()) {
            case "required" -> new InputProblem(
                    at + "/" + message.getProperty(), reason.startsWith("required property") ? "required" : reason);
            case "additionalProperties" -> new InputProblem(at + "/" + message.getProperty(), "unknown field");
            case "pattern", "format", "enum" -> new InputProblem(at, quoted(message.getInstanceNode()) + " " + reason);
            default -> new InputProblem(at.isEmpty() ? "/" : at, reason);
        };
    }

    /** The validator's message without the location it starts with (the location is reported on its own). */
    private static String reason(ValidationMessage message) {
        String text = message.getMessage();
        String prefix = message.getInstanceLocation() + ": ";
        return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    }

    private static String quoted(JsonNode value) {
        return value != null && value.isTextual() ? "'" + value.textValue() + "'" : String.valueOf(value);
    }

    private static String pointer(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> "/" + (ref.getFieldName() != null ? ref.getFieldName() : Integer.toString(ref.getIndex())))
                .collect(Collectors.joining());
    }

    private static JsonSchema loadSchema(ObjectMapper mapper) {
        try (InputStream in = DirectoryJsonReader.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA + " is not on the classpath");
            }
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                    .pathType(PathType.JSON_POINTER)
                    .formatAssertionsEnabled(true)
                    .errorMessageKeyword("message")
                    .locale(Locale.ENGLISH)
                    .build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(mapper.readTree(in), config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCHEMA, e);
        }
    }
}
