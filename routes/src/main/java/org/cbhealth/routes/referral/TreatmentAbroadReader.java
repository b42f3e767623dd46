package org.cbhealth.routes.referral;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;

/**
 * Reads and checks a JSON application for treatment abroad. Malformed JSON is refused with its line and
 * column; an unknown field, a missing required field, an impossible date, an unknown code or a national
 * identifier with a wrong check digit are each reported with the JSON pointer of the field, all at once.
 * Input limits (nesting depth, string length) are enforced while parsing.
 */
public class TreatmentAbroadReader {

    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Set<String> SEXES = Set.of("female", "male", "other", "unknown");
    private static final Set<String> URGENCIES = Set.of("routine", "urgent", "asap", "stat");

    private final ObjectMapper mapper;
    private final NationalIdentifierCheck identifierCheck;
    private final String rnokppSystem;
    private final Supplier<LocalDate> today;

    /**
     * @param identifierCheck checks national identifiers (check digit, length, birth date)
     * @param rnokppSystem identifier system of the Ukrainian RNOKPP
     * @param today the current date, for birth dates in the future
     */
    public TreatmentAbroadReader(
            NationalIdentifierCheck identifierCheck, String rnokppSystem, Supplier<LocalDate> today) {
        this.identifierCheck = identifierCheck;
        this.rnokppSystem = rnokppSystem;
        this.today = today;
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxStringLength(1_000_000)
                        .maxNumberLength(32)
                        .build());
    }

    public TreatmentAbroadApplication read(String json) {
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidMessageException("Not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidMessageException("Not an application: expected a JSON object");
        }
        TreatmentAbroadApplication application;
        try {
            application = mapper.treeToValue(tree, TreatmentAbroadApplication.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidMessageException(
                    "Application refused", List.of(new InputProblem(pointer(e), "unknown field")));
        } catch (JsonProcessingException e) {
            String pointer = e instanceof JsonMappingException mapping ? pointer(mapping) : "/";
            throw new InvalidMessageException(
                    "Application refused", List.of(new InputProblem(pointer, e.getOriginalMessage())));
        }
        List<InputProblem> problems = check(application);
        if (!problems.isEmpty()) {
            throw new InvalidMessageException("Application refused", problems);
        }
        return application;
    }

    /**
     * The checks of an application, whatever format it came in (JSON here, SOAP/XML in {@code
     * referral.soap.SoapReferralReader}): required fields, dates, codes, national identifier check digits. Each
     * problem is located by the JSON pointer of its field ({@code /patient/rnokpp}); other formats map the pointer
     * to their own paths.
     *
     * @return the problems, empty when the application is acceptable
     */
    public List<InputProblem> check(TreatmentAbroadApplication a) {
        List<InputProblem> problems = new ArrayList<>();
        required(problems, "/applicationNumber", a.applicationNumber());
        if (a.submitted() != null) {
            try {
                OffsetDateTime.parse(a.submitted());
            } catch (DateTimeException e) {
                problems.add(new InputProblem(
                        "/submitted", "'" + a.submitted() + "' is not a date-time with offset (ISO 8601)"));
            }
        }
        if (a.referringFacility() == null) {
            problems.add(new InputProblem("/referringFacility", "required"));
        } else {
            required(problems, "/referringFacility/name", a.referringFacility().name());
            country(
                    problems,
                    "/referringFacility/country",
                    a.referringFacility().country());
        }
        if (a.targetFacility() == null) {
            problems.add(new InputProblem("/targetFacility", "required"));
        } else {
            required(problems, "/targetFacility/registryId", a.targetFacility().registryId());
            country(problems, "/targetFacility/country", a.targetFacility().country());
        }
        if (a.patient() == null) {
            problems.add(new InputProblem("/patient", "required"));
        } else {
            checkPatient(problems, a.patient());
        }
        if (a.requestedService() == null) {
            problems.add(new InputProblem("/requestedService", "required"));
        } else {
            required(
                    problems,
                    "/requestedService/specialtyCode",
                    a.requestedService().specialtyCode());
            String urgency = a.requestedService().urgency();
            if (urgency != null && !URGENCIES.contains(urgency)) {
                problems.add(new InputProblem(
                        "/requestedService/urgency", "'" + urgency + "' is not one of " + sorted(URGENCIES)));
            }
        }
        return problems;
    }

    private void checkPatient(List<InputProblem> problems, TreatmentAbroadApplication.Applicant patient) {
        required(problems, "/patient/lastName", patient.lastName());
        required(problems, "/patient/firstName", patient.firstName());
        if (patient.rnokpp() != null) {
            identifierCheck
                    .problemWith(rnokppSystem, patient.rnokpp())
                    .ifPresent(reason -> problems.add(new InputProblem("/patient/rnokpp", reason)));
        }
        if (required(problems, "/patient/birthDate", patient.birthDate())) {
            try {
                LocalDate born = LocalDate.parse(patient.birthDate());
                if (born.isAfter(today.get())) {
                    problems.add(new InputProblem("/patient/birthDate", "'" + born + "' is in the future"));
                }
            } catch (DateTimeException e) {
                problems.add(new InputProblem(
                        "/patient/birthDate", "'" + patient.birthDate() + "' is not a valid date (YYYY-MM-DD)"));
            }
        }
        if (required(problems, "/patient/sex", patient.sex()) && !SEXES.contains(patient.sex())) {
            problems.add(new InputProblem("/patient/sex", "'" + patient.sex() + "' is not one of " + sorted(SEXES)));
        }
        if (patient.address() != null && patient.address().country() != null) {
            country(problems, "/patient/address/country", patient.address().country());
        }
    }

    private static boolean required(List<InputProblem> problems, String pointer, String value) {
        if (value == null || value.isBlank()) {
            problems.add(new InputProblem(pointer, "required"));
            return false;
        }
        return true;
    }

    private static void country(List<InputProblem> problems, String pointer, String value) {
        if (required(problems, pointer, value) && !COUNTRY.matcher(value).matches()) {
            problems.add(new InputProblem(pointer, "'" + value + "' is not an ISO 3166 alpha-2 country code"));
        }
    }

    private static String pointer(JsonMappingException e) {
        return "/"
                + e.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : Integer.toString(ref.getIndex()))
                        .collect(Collectors.joining("/"));
    }

    private static String sorted(Set<String> values) {
        return values.stream().sorted().collect(Collectors.joining(", "));
    }
}
