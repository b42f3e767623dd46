package org.cbhealth.hub.partner;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cbhealth.hub.partner.PartnerDefinition.ChannelKind;
import org.cbhealth.hub.partner.PartnerDefinition.Credentials;
import org.cbhealth.hub.partner.PartnerDefinition.Flow;
import org.cbhealth.hub.partner.PartnerDefinition.InboundChannel;
import org.cbhealth.hub.partner.PartnerDefinition.MessageFormat;
import org.cbhealth.hub.partner.PartnerDefinition.OrganizationIdentifier;
import org.cbhealth.hub.partner.PartnerDefinition.OutboundChannel;
import org.cbhealth.hub.partner.PartnerDefinition.OutboundKind;
import org.cbhealth.routes.directory.soap.DirectorySoapContract;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads and checks one partner file. Every problem is collected with its field path — unknown keys, missing
 * or malformed values, kind-specific settings, literal secrets — so an integrator sees them all at once. YAML
 * is read with SnakeYAML's safe constructor (plain maps, lists and scalars only).
 */
public class PartnerFileReader {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2}");
    private static final Pattern ENV = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Set<String> TOP_LEVEL = Set.of(
            "id",
            "names",
            "country",
            "identifiers",
            "credentials",
            "authentication",
            "inbound",
            "outbound",
            "codeMappings",
            "referralPartners");
    private static final Set<String> SOAP_POLL_SETTINGS =
            Set.of("address", "interval", "pageSize", "maxPages", "connectTimeout", "receiveTimeout");
    private static final Set<String> SECRET_WORDS = Set.of("password", "secret", "token", "key", "value", "passphrase");

    /** The outcome for one file: the definition when it has no problem, and the problems. */
    public record Result(PartnerDefinition definition, List<ConfigProblem> problems) {}

    public Result read(Path file) {
        String name = file.getFileName().toString();
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(20);
            options.setCodePointLimit(1_000_000);
            root = new Yaml(new SafeConstructor(options)).load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return failed(name, "(file)", "cannot be read: " + e.getMessage());
        } catch (YAMLException e) {
            return failed(name, "(file)", "not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (!(root instanceof Map<?, ?> map)) {
            return failed(name, "(file)", "must be a YAML mapping with the partner's fields");
        }
        Checker c = new Checker(name);
        PartnerDefinition definition = c.partner(map, stem(name));
        return new Result(c.problems.isEmpty() ? definition : null, List.copyOf(c.problems));
    }

    private static Result failed(String file, String field, String reason) {
        return new Result(null, List.of(new ConfigProblem(file, field, reason)));
    }

    private static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? fileName : fileName.substring(0, dot);
    }

    /** Collects the problems of one file while building its definition. */
    private static final class Checker {

        private final String file;
        private final List<ConfigProblem> problems = new ArrayList<>();

        Checker(String file) {
            this.file = file;
        }

        PartnerDefinition partner(Map<?, ?> map, String fileStem) {
            unknownKeys(map, TOP_LEVEL, "");
            String id = text(map, "id", "id", true);
            if (id != null && !ID.matcher(id).matches()) {
                problem("id", "'" + id + "' must be lower-case letters, digits and hyphens");
            } else if (id != null && !id.equals(fileStem)) {
                problem("id", "'" + id + "' must equal the file name '" + fileStem + "'");
            }
            Map<String, String> names = names(map.get("names"));
            String country = text(map, "country", "country", true);
            if (country != null && !COUNTRY.matcher(country).matches()) {
                problem("country", "'" + country + "' is not an ISO 3166 alpha-2 code");
            }
            List<OrganizationIdentifier> identifiers = identifiers(map.get("identifiers"));
            Credentials credentials = credentials(map.get("credentials"));
            PartnerDefinition.Authentication authentication = authentication(map.get("authentication"));
            List<InboundChannel> inbound = inbound(map.get("inbound"));
            OutboundChannel outbound = outbound(map.get("outbound"));
            List<String> codeMappings = uris(map.get("codeMappings"), "codeMappings");
            List<String> referralPartners = strings(map.get("referralPartners"), "referralPartners");
            for (int i = 0; i < referralPartners.size(); i++) {
                if (!ID.matcher(referralPartners.get(i)).matches()) {
                    problem("referralPartners[" + i + "]", "'" + referralPartners.get(i) + "' is not a partner id");
                }
            }
            return new PartnerDefinition(
                    id,
                    names,
                    country,
                    identifiers,
                    credentials,
                    inbound,
                    outbound,
                    codeMappings,
                    referralPartners,
                    authentication);
        }

        /**
         * The partner's public keys: {@code jwks} (a JWK Set, as a mapping or as JSON text) or {@code jwks-file} (an
         * absolute path to a JWK Set file); each key public, with a {@code kid}.
         */
        private PartnerDefinition.Authentication authentication(Object node) {
            if (node == null) {
                return null;
            }
            if (!(node instanceof Map<?, ?> map)) {
                problem("authentication", "must be a mapping with jwks or jwks-file");
                return null;
            }
            unknownKeys(map, Set.of("jwks", "jwks-file"), "authentication.");
            Object inline = map.get("jwks");
            Object file = map.get("jwks-file");
            if ((inline == null) == (file == null)) {
                problem("authentication", "give exactly one of jwks (the public keys) or jwks-file (a JWK Set file)");
                return null;
            }
            String field = inline != null ? "authentication.jwks" : "authentication.jwks-file";
            String json = null;
            if (inline != null) {
                if (!(inline instanceof Map<?, ?>)) {
                    json = String.valueOf(inline);
                }
            } else {
                Path path = Path.of(String.valueOf(file));
                if (!path.isAbsolute()) {
                    problem(field, "'" + file + "' must be an absolute path");
                    return null;
                }
                try {
                    json = Files.readString(path, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    problem(field, "'" + file + "' cannot be read: " + e.getMessage());
                    return null;
                }
            }
            try {
                @SuppressWarnings("unchecked")
                com.nimbusds.jose.jwk.JWKSet keys = json != null
                        ? com.nimbusds.jose.jwk.JWKSet.parse(json)
                        : com.nimbusds.jose.jwk.JWKSet.parse((Map<String, Object>) inline);
                if (keys.getKeys().isEmpty()) {
                    problem(field, "holds no key");
                    return null;
                }
                for (int i = 0; i < keys.getKeys().size(); i++) {
                    com.nimbusds.jose.jwk.JWK key = keys.getKeys().get(i);
                    if (key.isPrivate()) {
                        problem(
                                field + ".keys[" + i + "]",
                                "is a private key: a partner file holds only the partner's public keys");
                    } else if (key.getKeyID() == null || key.getKeyID().isBlank()) {
                        problem(field + ".keys[" + i + "]", "has no kid; client assertions name their key by kid");
                    }
                }
                return new PartnerDefinition.Authentication(
                        keys.toString(true), file == null ? null : String.valueOf(file));
            } catch (java.text.ParseException e) {
                problem(field, "is not a JWK Set: " + e.getMessage());
                return null;
            }
        }

        private Map<String, String> names(Object node) {
            Map<String, String> names = new LinkedHashMap<>();
            if (!(node instanceof Map<?, ?> map) || map.isEmpty()) {
                problem(
                        "names",
                        "required: the partner's name in at least one language, e.g. names: {bg: МБАЛ Благоевград}");
                return names;
            }
            map.forEach((lang, value) -> {
                String language = String.valueOf(lang);
                if (!LANGUAGE.matcher(language).matches()) {
                    problem("names." + language, "'" + language + "' is not an ISO 639-1 language code");
                } else if (!(value instanceof String text) || text.isBlank()) {
                    problem("names." + language, "must be a non-empty name");
                } else {
                    names.put(language, text);
                }
            });
            return names;
        }

        private List<OrganizationIdentifier> identifiers(Object node) {
            List<OrganizationIdentifier> identifiers = new ArrayList<>();
            List<?> list = list(node, "identifiers", true);
            for (int i = 0; i < list.size(); i++) {
                String at = "identifiers[" + i + "]";
                if (!(list.get(i) instanceof Map<?, ?> map)) {
                    problem(at, "must be a mapping with system and value");
                    continue;
                }
                unknownKeys(map, Set.of("system", "value"), at + ".");
                String system = uri(map, "system", at + ".system");
                String value = text(map, "value", at + ".value", true);
                identifiers.add(new OrganizationIdentifier(system, value));
            }
            if (list.isEmpty() && node != null) {
                problem("identifiers", "at least one registry identifier is required");
            }
            return identifiers;
        }

        private Credentials credentials(Object node) {
            if (node == null) {
                return null;
            }
            if (!(node instanceof Map<?, ?> map)) {
                problem("credentials", "must be a mapping with env or file");
                return null;
            }
            for (Object key : map.keySet()) {
                String k = String.valueOf(key);
                if (SECRET_WORDS.contains(k.toLowerCase(Locale.ROOT))) {
                    problem(
                            "credentials." + k,
                            "a secret must not be written in a partner file: reference an environment variable (env)"
                                    + " or a secret file (file)");
                } else if (!k.equals("env") && !k.equals("file")) {
                    problem("credentials." + k, "unknown key; allowed: env, file");
                }
            }
            String env = map.get("env") == null ? null : String.valueOf(map.get("env"));
            String secretFile = map.get("file") == null ? null : String.valueOf(map.get("file"));
            if ((env == null) == (secretFile == null)) {
                problem("credentials", "give exactly one of env (an environment variable) or file (a secret file)");
            }
            if (env != null && !ENV.matcher(env).matches()) {
                problem("credentials.env", "'" + env + "' is not an environment variable name");
            }
            if (secretFile != null && !Path.of(secretFile).isAbsolute()) {
                problem("credentials.file", "'" + secretFile + "' must be an absolute path");
            }
            return new Credentials(env, secretFile);
        }

        private List<InboundChannel> inbound(Object node) {
            List<InboundChannel> channels = new ArrayList<>();
            List<?> list = list(node, "inbound", false);
            Set<String> names = new java.util.HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String at = "inbound[" + i + "]";
                if (!(list.get(i) instanceof Map<?, ?> map)) {
                    problem(at, "must be a mapping with name, kind, format, flow and settings");
                    continue;
                }
                unknownKeys(map, Set.of("name", "kind", "format", "flow", "settings"), at + ".");
                String name = text(map, "name", at + ".name", true);
                if (name != null && !ID.matcher(name).matches()) {
                    problem(at + ".name", "'" + name + "' must be lower-case letters, digits and hyphens");
                } else if (name != null && !names.add(name)) {
                    problem(at + ".name", "duplicate channel name '" + name + "'");
                }
                ChannelKind kind = choice(map, "kind", at + ".kind", ChannelKind.values(), k -> k.yaml);
                MessageFormat format = choice(map, "format", at + ".format", MessageFormat.values(), f -> f.yaml);
                Flow flow = choice(map, "flow", at + ".flow", Flow.values(), f -> f.yaml);
                Map<String, Object> settings = settings(map.get("settings"), at + ".settings");
                if (kind != null) {
                    inboundSettings(kind, format, flow, settings, at);
                }
                channels.add(new InboundChannel(name, kind, format, flow, settings));
            }
            return channels;
        }

        private void inboundSettings(
                ChannelKind kind, MessageFormat format, Flow flow, Map<String, Object> settings, String at) {
            String s = at + ".settings";
            sendingFacilities(format, settings, s);
            if (kind != ChannelKind.MLLP && settings.get(MllpTls.TLS) != null) {
                problem(s + "." + MllpTls.TLS, "TLS is set here for mllp channels only");
            }
            switch (kind) {
                case JMS -> queue(settings, s);
                case MLLP -> {
                    port(settings, s + ".port");
                    if (format != null && format != MessageFormat.HL7V2) {
                        problem(at + ".format", "an mllp channel carries hl7v2, not " + format.yaml);
                    }
                    MllpTls.problems(settings, s, true).forEach(p -> problem(p[0], p[1]));
                }
                case FILE -> {
                    requiredText(settings, "directory", s + ".directory");
                    if (format == MessageFormat.CSV) {
                        csvLayout(settings, s);
                    }
                    if (settings.get("charset") != null
                            && !Charset.isSupported(String.valueOf(settings.get("charset")))) {
                        problem(s + ".charset", "unknown character set '" + settings.get("charset") + "'");
                    }
                }
                case FHIR_POLL -> {
                    httpUrl(settings, "baseUrl", s + ".baseUrl");
                    if (requiredText(settings, "interval", s + ".interval") != null) {
                        fhirPollSettings(settings, s);
                    }
                    if (format != null && format != MessageFormat.FHIR) {
                        problem(at + ".format", "a fhir-poll channel carries fhir, not " + format.yaml);
                    }
                    if (flow != null && flow != Flow.DIRECTORY) {
                        problem(at + ".flow", "a fhir-poll channel reads a partner's directory: flow directory");
                    }
                }
                case SOAP -> {
                    if (format != null && format != MessageFormat.XML) {
                        problem(at + ".format", "a soap channel carries xml, not " + format.yaml);
                    }
                    if (flow == Flow.DIRECTORY) {
                        problem(
                                at + ".flow",
                                "a soap channel is the hub's referral service (referral-service.wsdl): flow referral or"
                                        + " referral-status; a partner's SOAP directory service is read with kind"
                                        + " soap-poll");
                    }
                }
                case SOAP_POLL -> soapPoll(format, flow, settings, at);
                case REST -> {}
            }
        }

        /** The MSH-4 values an HL7 v2 channel may send as: a list of non-empty texts, on hl7v2 channels only. */
        private void sendingFacilities(MessageFormat format, Map<String, Object> settings, String at) {
            Object node = settings.get(SenderBinding.SENDING_FACILITIES);
            if (node == null) {
                return;
            }
            String field = at + "." + SenderBinding.SENDING_FACILITIES;
            if (format != null && format != MessageFormat.HL7V2) {
                problem(field, "binds MSH-4 of HL7 v2 messages: for hl7v2 channels only");
            }
            List<?> list = list(node, field, false);
            if (node instanceof List<?> && list.isEmpty()) {
                problem(field, "at least one sending facility (an MSH-4.1 or MSH-4.2 value)");
            }
            for (int i = 0; i < list.size(); i++) {
                Object value = list.get(i);
                if (value instanceof Map<?, ?>
                        || value instanceof List<?>
                        || String.valueOf(value).isBlank()) {
                    problem(field + "[" + i + "]", "must be a non-empty text (an MSH-4.1 or MSH-4.2 value)");
                } else if (String.valueOf(value).matches(".*[|^~\\\\&].*")) {
                    problem(field + "[" + i + "]", "'" + value + "' contains an HL7 separator (| ^ ~ \\ &)");
                }
            }
        }

        /** A channel polling a partner's SOAP directory service (directory-service.wsdl). */
        private void soapPoll(MessageFormat format, Flow flow, Map<String, Object> settings, String at) {
            String s = at + ".settings";
            unknownKeys(settings, SOAP_POLL_SETTINGS, s + ".");
            String address = httpUrl(settings, "address", s + ".address");
            if (address != null) {
                URI uri = URI.create(address);
                if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    problem(s + ".address", "'" + address + "' must not have a query or fragment");
                }
            }
            duration(settings, "interval", s + ".interval", Duration.ofSeconds(1));
            duration(settings, "connectTimeout", s + ".connectTimeout", Duration.ofMillis(1));
            duration(settings, "receiveTimeout", s + ".receiveTimeout", Duration.ofMillis(1));
            whole(settings, "pageSize", s + ".pageSize", 1, DirectorySoapContract.MAX_PAGE_SIZE);
            whole(settings, "maxPages", s + ".maxPages", 1, 100_000);
            if (format != null && format != MessageFormat.XML) {
                problem(at + ".format", "a soap-poll channel carries xml, not " + format.yaml);
            }
            if (flow != null && flow != Flow.DIRECTORY) {
                problem(
                        at + ".flow",
                        "a soap-poll channel reads a partner's directory service (directory-service.wsdl): flow"
                                + " directory, not " + flow.yaml);
            }
        }

        /** An optional duration setting ({@code 15m}, {@code 30s}, {@code PT15M}) of at least {@code min}. */
        private void duration(Map<String, Object> settings, String key, String at, Duration min) {
            Object value = settings.get(key);
            if (value == null) {
                return;
            }
            Duration duration = DurationSetting.parse(value);
            if (duration == null) {
                problem(at, "'" + value + "' is not a duration; e.g. 15m, 30s, 500ms or PT15M");
            } else if (duration.compareTo(min) < 0) {
                problem(at, "'" + value + "' is shorter than " + DurationSetting.describe(min));
            }
        }

        /** An optional whole-number setting from {@code min} to {@code max}. */
        private void whole(Map<String, Object> settings, String key, String at, int min, int max) {
            Object value = settings.get(key);
            if (value != null && (!(value instanceof Integer number) || number < min || number > max)) {
                problem(at, "'" + value + "' must be a whole number from " + min + " to " + max);
            }
        }

        /** The other settings of a fhir-poll channel, checked as its route reads them ("field: reason" problems). */
        private void fhirPollSettings(Map<String, Object> settings, String at) {
            try {
                org.cbhealth.routes.fhirpoll.FhirPollSettings.of(settings);
            } catch (IllegalArgumentException e) {
                String message = e.getMessage();
                int colon = message.indexOf(": ");
                String field = message.substring(0, colon);
                if (!field.equals("baseUrl")) { // already reported
                    problem(at + "." + field, message.substring(colon + 2));
                }
            }
        }

        /** The CSV layout settings, checked by the translator that will use them ("field: reason" problems). */
        private void csvLayout(Map<String, Object> settings, String at) {
            if (settings.get("charset") != null && !Charset.isSupported(String.valueOf(settings.get("charset")))) {
                return; // already reported
            }
            try {
                org.cbhealth.routes.translate.CsvDirectoryTranslator.layout(settings);
            } catch (IllegalArgumentException e) {
                String message = e.getMessage();
                int colon = message.indexOf(": ");
                problem(at + "." + message.substring(0, colon), message.substring(colon + 2));
            }
        }

        private OutboundChannel outbound(Object node) {
            if (node == null) {
                return null;
            }
            if (!(node instanceof Map<?, ?> map)) {
                problem("outbound", "must be a mapping with kind and settings");
                return null;
            }
            unknownKeys(map, Set.of("kind", "settings"), "outbound.");
            OutboundKind kind = choice(map, "kind", "outbound.kind", OutboundKind.values(), k -> k.yaml);
            Map<String, Object> settings = settings(map.get("settings"), "outbound.settings");
            if (kind != null) {
                switch (kind) {
                    case JMS -> queue(settings, "outbound.settings");
                    case FHIR_REST -> httpUrl(settings, "baseUrl", "outbound.settings.baseUrl");
                    case SOAP -> httpUrl(settings, "address", "outbound.settings.address");
                    case MLLP -> {
                        requiredText(settings, "host", "outbound.settings.host");
                        port(settings, "outbound.settings.port");
                        MllpTls.problems(settings, "outbound.settings", false).forEach(p -> problem(p[0], p[1]));
                    }
                }
            }
            return new OutboundChannel(kind, settings);
        }

        private void queue(Map<String, Object> settings, String at) {
            String queue = requiredText(settings, "queue", at + ".queue");
            if (queue != null && !QUEUE.matcher(queue).matches()) {
                problem(at + ".queue", "'" + queue + "' is not a valid queue name");
            } else if (queue != null && queue.startsWith("hub.")) {
                problem(at + ".queue", "'" + queue + "': names starting with 'hub.' are the hub's own queues");
            }
        }

        private void port(Map<String, Object> settings, String at) {
            Object port = settings.get("port");
            if (!(port instanceof Integer number) || number < 1 || number > 65535) {
                problem(at, port == null ? "required" : "'" + port + "' is not a port number (1-65535)");
            }
        }

        /** @return the value when it is an absolute http(s) URL, else null (the problem reported) */
        private String httpUrl(Map<String, Object> settings, String key, String at) {
            String value = requiredText(settings, key, at);
            if (value != null) {
                try {
                    URI uri = new URI(value);
                    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                        problem(at, "'" + value + "' must be an absolute http(s) URL");
                        return null;
                    }
                } catch (URISyntaxException e) {
                    problem(at, "'" + value + "' is not a valid URI: " + e.getReason());
                    return null;
                }
            }
            return value;
        }

        private String requiredText(Map<String, Object> settings, String key, String at) {
            Object value = settings.get(key);
            if (value == null || String.valueOf(value).isBlank()) {
                problem(at, "required");
                return null;
            }
            return String.valueOf(value);
        }

        private Map<String, Object> settings(Object node, String at) {
            Map<String, Object> settings = new LinkedHashMap<>();
            if (node == null) {
                return settings;
            }
            if (!(node instanceof Map<?, ?> map)) {
                problem(at, "must be a mapping");
                return settings;
            }
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                if (SECRET_WORDS.contains(key.toLowerCase(Locale.ROOT))) {
                    problem(at + "." + key, "a secret must not be written in a partner file: use credentials");
                }
                settings.put(key, v);
            });
            return settings;
        }

        private List<String> uris(Object node, String field) {
            List<String> values = strings(node, field);
            for (int i = 0; i < values.size(); i++) {
                checkUri(values.get(i), field + "[" + i + "]");
            }
            return values;
        }

        private String uri(Map<?, ?> map, String key, String at) {
            String value = text(map, key, at, true);
            if (value != null) {
                checkUri(value, at);
            }
            return value;
        }

        private void checkUri(String value, String at) {
            try {
                URI uri = new URI(value);
                if (!uri.isAbsolute()) {
                    problem(at, "'" + value + "' must be an absolute URI");
                }
            } catch (URISyntaxException e) {
                problem(at, "'" + value + "' is not a valid URI: " + e.getReason());
            }
        }

        private List<String> strings(Object node, String field) {
            List<?> list = list(node, field, false);
            List<String> values = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof String text && !text.isBlank()) {
                    values.add(text);
                } else {
                    problem(field + "[" + i + "]", "must be a non-empty text");
                }
            }
            return values;
        }

        private List<?> list(Object node, String field, boolean required) {
            if (node == null) {
                if (required) {
                    problem(field, "required");
                }
                return List.of();
            }
            if (!(node instanceof List<?> list)) {
                problem(field, "must be a list");
                return List.of();
            }
            return list;
        }

        private String text(Map<?, ?> map, String key, String at, boolean required) {
            Object value = map.get(key);
            if (value == null) {
                if (required) {
                    problem(at, "required");
                }
                return null;
            }
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                problem(at, "must be a text, not a " + (value instanceof Map<?, ?> ? "mapping" : "list"));
                return null;
            }
            return String.valueOf(value);
        }

        private <E> E choice(
                Map<?, ?> map, String key, String at, E[] values, java.util.function.Function<E, String> yamlName) {
            String value = text(map, key, at, true);
            if (value == null) {
                return null;
            }
            for (E candidate : values) {
                if (yamlName.apply(candidate).equals(value)) {
                    return candidate;
                }
            }
            problem(
                    at,
                    "unknown " + key + " '" + value + "'; one of "
                            + Arrays.stream(values).map(yamlName).collect(Collectors.joining(", ")));
            return null;
        }

        private void unknownKeys(Map<?, ?> map, Set<String> allowed, String prefix) {
            for (Object key : map.keySet()) {
                if (!allowed.contains(String.valueOf(key))) {
                    problem(
                            prefix + key,
                            "unknown key; allowed: " + allowed.stream().sorted().collect(Collectors.joining(", ")));
                }
            }
        }

        private void problem(String field, String reason) {
            problems.add(new ConfigProblem(file, field, reason));
        }
    }
}
