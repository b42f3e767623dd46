package org.cbhealth.routes.directory.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.cbhealth.routes.directory.model.CatalogueRead;
import org.cbhealth.routes.directory.model.Code;
import org.cbhealth.routes.directory.model.DepartmentRecord;
import org.cbhealth.routes.directory.model.DirectoryCatalogue;
import org.cbhealth.routes.directory.model.LocalizedText;
import org.cbhealth.routes.directory.model.PersonName;
import org.cbhealth.routes.directory.model.PractitionerRoleRecord;
import org.cbhealth.routes.directory.model.SiteRecord;
import org.cbhealth.routes.directory.model.Telecom;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.junit.jupiter.api.Test;

class DirectoryJsonReaderTest {

    private static final String CARDIOLOGY =
            "{\"code\":\"ODD-01\",\"names\":{\"mk\":\"Кардиологија\"},\"specialties\":[\"kardiologija\"]}";
    private static final String ONCOLOGY =
            "{\"code\":\"ODD-07\",\"names\":{\"mk\":\"Онкологија\"},\"specialties\":[\"onkologija\"]}";

    private final DirectoryJsonReader reader = new DirectoryJsonReader();

    @Test
    void shouldReadEveryRecordOfTheSampleWithItsPosition() throws IOException {
        CatalogueRead read = reader.read(sample());

        DirectoryCatalogue catalogue = read.catalogue();
        assertThat(read.refused()).isEmpty();
        assertThat(catalogue.sites()).extracting(SiteRecord::code).containsExactly("KBS-MAIN", "KBS-POLI");
        assertThat(catalogue.departments())
                .extracting(DepartmentRecord::code, DepartmentRecord::position)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ODD-01", "/departments/0"),
                        org.assertj.core.groups.Tuple.tuple("ODD-07", "/departments/1"),
                        org.assertj.core.groups.Tuple.tuple("ODD-09", "/departments/2"));
        assertThat(catalogue.size()).isEqualTo(12);

        DepartmentRecord cardiology = catalogue.departments().get(0);
        assertThat(cardiology.names())
                .containsExactly(
                        new LocalizedText("mk", "Одделение за кардиологија"),
                        new LocalizedText("en", "Department of Cardiology"),
                        new LocalizedText("bg", "Отделение по кардиология"));
        assertThat(cardiology.specialties()).containsExactly(new Code(null, "kardiologija", null));
        assertThat(cardiology.languages()).containsExactly("mk", "bg", "en");
        assertThat(cardiology.acceptsCrossBorderReferrals()).isTrue();
        assertThat(cardiology.telecom())
                .containsExactly(
                        new Telecom(Telecom.Kind.PHONE, "+389 32 386 301"),
                        new Telecom(Telecom.Kind.EMAIL, "kardio@kbshtip.mk"));
        assertThat(catalogue.departments().get(2).acceptsCrossBorderReferrals()).isFalse();

        SiteRecord main = catalogue.sites().get(0);
        assertThat(main.geo().latitude()).isEqualTo(new BigDecimal("41.7464"));
        assertThat(main.address().country()).isEqualTo("MK");
        assertThat(catalogue.sites().get(1).partOfCode()).isEqualTo("KBS-MAIN");

        assertThat(catalogue.practitioners().get(0).names())
                .containsExactly(
                        new PersonName("mk", "Стојанова", java.util.List.of("Марија"), java.util.List.of("д-р")),
                        new PersonName("mk-Latn", "Stojanova", java.util.List.of("Marija"), java.util.List.of("d-r")));
        assertThat(catalogue.practitioners())
                .flatExtracting(p -> p.roles())
                .extracting(PractitionerRoleRecord::code, PractitionerRoleRecord::position)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("LEK-0412-ODD-01", "/practitioners/0/roles/0"),
                        org.assertj.core.groups.Tuple.tuple("LEK-0877-ONK", "/practitioners/1/roles/0"));
        assertThat(catalogue.endpoints().get(0).connectionType()).isEqualTo(new Code(null, "hl7-fhir-rest", null));
        assertThat(catalogue.affiliations().get(0).start()).isEqualTo(LocalDate.of(2024, 3, 1));
        assertThat(catalogue.affiliations().get(0).end()).isEqualTo(LocalDate.of(2029, 2, 28));
    }

    @Test
    void shouldRefuseABadRecordAndKeepTheGoodOnesAroundIt() {
        CatalogueRead read = read("{\"departments\":[" + CARDIOLOGY
                + ",{\"code\":\"ODD-02\",\"names\":{\"mk\":\"Гинекологија\"},\"specialty\":\"ginekologija\"},"
                + ONCOLOGY + "]}");

        assertThat(read.catalogue().departments())
                .extracting(DepartmentRecord::code)
                .containsExactly("ODD-01", "ODD-07");
        assertThat(read.refused())
                .containsExactlyInAnyOrder(
                        new InputProblem("/departments/1/specialties", "required"),
                        new InputProblem("/departments/1/specialty", "unknown field"));
    }

    @Test
    void shouldNameEachBadFieldOfARecordWithItsPointer() {
        CatalogueRead read = read("{\"departments\":[{\"code\":\"ODD 3\",\"names\":{},\"specialties\":[],"
                + "\"languages\":[\"MK\"],\"acceptsCrossBorderReferrals\":\"да\","
                + "\"telecom\":[{\"system\":\"pager\",\"value\":\"+389 32 386 303\"}]}]}");

        assertThat(read.catalogue().departments()).isEmpty();
        assertThat(read.refused())
                .containsExactlyInAnyOrder(
                        new InputProblem(
                                "/departments/0/code",
                                "'ODD 3' is not a record code: 1 to 64 letters, digits, '.', '_', '~', ':' or '-'"),
                        new InputProblem("/departments/0/names", "must have at least 1 properties"),
                        new InputProblem("/departments/0/specialties", "must have at least 1 items but found 0"),
                        new InputProblem(
                                "/departments/0/languages/0",
                                "'MK' is not a BCP 47 language tag such as 'mk' or 'sr-Latn'"),
                        new InputProblem(
                                "/departments/0/acceptsCrossBorderReferrals", "string found, boolean expected"),
                        new InputProblem(
                                "/departments/0/telecom/0/system", "'pager' is not one of phone, fax, email, url"));
    }

    @Test
    void shouldRefuseALanguageThatIsNotAnIsoLanguageAndACountryThatIsNotAnIsoCountry() {
        CatalogueRead read = read("{\"sites\":[{\"code\":\"S1\",\"names\":{\"mk\":\"Штип\",\"xx\":\"Stip\"},"
                + "\"address\":{\"country\":\"XK\"}},"
                + "{\"code\":\"S2\",\"names\":{\"mk\":\"Штип\"},\"address\":{\"country\":\"mk\"}}]}");

        assertThat(read.catalogue().sites()).isEmpty();
        assertThat(read.refused())
                .containsExactly(
                        new InputProblem("/sites/0/names/xx", "'xx' does not name an ISO 639 language"),
                        new InputProblem("/sites/0/address/country", "'XK' is not an ISO 3166 alpha-2 country code"),
                        new InputProblem("/sites/1/address/country", "'mk' is not an ISO 3166 alpha-2 country code"));
    }

    @Test
    void shouldRefuseASecondRecordWithTheSameCodeAndKeepTheFirst() {
        CatalogueRead read = read("{\"departments\":[" + CARDIOLOGY + "," + ONCOLOGY + ","
                + CARDIOLOGY.replace("Кардиологија", "Кардиологија II") + "]}");

        assertThat(read.catalogue().departments())
                .extracting(d -> d.names().get(0).text())
                .containsExactly("Кардиологија", "Онкологија");
        assertThat(read.refused())
                .containsExactly(
                        new InputProblem("/departments/2/code", "'ODD-01' is already the code of /departments/0"));
    }

    @Test
    void shouldRefuseABadRoleAloneAndKeepItsPractitionerAndOtherRoles() {
        CatalogueRead read = read("{\"practitioners\":[{\"code\":\"LEK-1\",\"names\":[{\"language\":\"mk\","
                + "\"family\":\"Илиевски\"}],\"roles\":[{\"specialties\":[\"onkologija\"]},{\"department\":\"ODD-07\"},"
                + "{\"department\":\"ODD-07\"},{\"code\":\"LEK-1-ONK\",\"department\":\"ODD-07\"}]}]}");

        assertThat(read.catalogue().practitioners()).hasSize(1);
        assertThat(read.catalogue().practitioners().get(0).roles())
                .extracting(PractitionerRoleRecord::code)
                .containsExactly("LEK-1-ODD-07", "LEK-1-ONK");
        assertThat(read.refused())
                .containsExactly(
                        new InputProblem("/practitioners/0/roles/0/department", "required when the role has no code"),
                        new InputProblem(
                                "/practitioners/0/roles/2/department",
                                "'LEK-1-ODD-07' is already the code of /practitioners/0/roles/1"));
    }

    @Test
    void shouldRefuseABadPractitionerWithItsRoles() {
        CatalogueRead read = read("{\"practitioners\":[{\"code\":\"LEK-1\",\"names\":[{\"language\":\"mk\"}],"
                + "\"roles\":[{\"department\":\"ODD-07\"},{\"department\":\"ODD 7\"}]}]}");

        assertThat(read.catalogue().practitioners()).isEmpty();
        assertThat(read.refused())
                .containsExactly(
                        new InputProblem("/practitioners/0/names/0/family", "required"),
                        new InputProblem(
                                "/practitioners/0/roles/1/department",
                                "'ODD 7' is not a record code: 1 to 64 letters, digits, '.', '_', '~', ':' or '-'"));
    }

    @Test
    void shouldRefuseAnImpossibleDateAndAnEndBeforeTheStart() {
        String partner =
                "\"partner\":{\"system\":\"https://fhir.cbhealth.eu/sid/registry/bg-eik\",\"value\":\"101004535\"}";
        CatalogueRead read = read("{\"affiliations\":["
                + "{\"code\":\"A1\"," + partner + ",\"roles\":[\"provider\"],\"start\":\"2024-02-30\"},"
                + "{\"code\":\"A2\"," + partner
                + ",\"roles\":[\"provider\"],\"start\":\"2024-03-01\",\"end\":\"2023-03-01\"},"
                + "{\"code\":\"A3\"," + partner + ",\"start\":\"2024-03-01\"},"
                + "{\"code\":\"A4\"," + partner + ",\"description\":\"Twinning\",\"start\":\"2024-03-01\"}]}");

        assertThat(read.catalogue().affiliations()).extracting(a -> a.code()).containsExactly("A4");
        assertThat(read.refused())
                .containsExactly(
                        new InputProblem("/affiliations/0/start", "'2024-02-30' is not a valid date (YYYY-MM-DD)"),
                        new InputProblem("/affiliations/1/end", "'2023-03-01' is before the start, '2024-03-01'"),
                        new InputProblem("/affiliations/2/description", "required when there are no roles"));
    }

    @Test
    void shouldRefuseAnEndpointWhoseAddressTheProfileWouldRefuse() {
        CatalogueRead read = read("{\"endpoints\":[{\"code\":\"E1\",\"connectionType\":\"hl7-fhir-rest\","
                + "\"address\":\"ftp://files.kbshtip.example\",\"payloadTypes\":[{\"system\":"
                + "\"http://hl7.org/fhir/resource-types\",\"code\":\"ServiceRequest\"}]},"
                + "{\"code\":\"E2\",\"connectionType\":\"smtp\",\"address\":\"urn:oid:1.2.3\",\"payloadTypes\":[]}]}");

        assertThat(read.catalogue().endpoints()).isEmpty();
        assertThat(read.refused())
                .containsExactly(
                        new InputProblem(
                                "/endpoints/0/address",
                                "'ftp://files.kbshtip.example' is not an absolute URL (https, http, mllp, amqp, tcp)"
                                        + " or URN"),
                        new InputProblem(
                                "/endpoints/1/connectionType",
                                "'smtp' is not a connection type of"
                                        + " http://terminology.hl7.org/CodeSystem/endpoint-connection-type"),
                        new InputProblem("/endpoints/1/payloadTypes", "must have at least 1 items but found 0"));
    }

    @Test
    void shouldRefuseTheWholeMessageForAProblemOutsideTheRecords() {
        InvalidMessageException refused =
                refused("{\"departments\":[" + CARDIOLOGY + "],\"sites\":{},\"hospital\":\"КБ Штип\"}");

        assertThat(refused.problems())
                .containsExactlyInAnyOrder(
                        new InputProblem("/sites", "object found, array expected"),
                        new InputProblem("/hospital", "unknown field"));
        assertThat(refused.getMessage()).startsWith("Directory refused: ");
    }

    @Test
    void shouldRefuseMalformedJsonWithItsLineAndColumn() {
        InvalidMessageException refused = refused("{\"departments\":[\n" + CARDIOLOGY + ",\n{\"code\":}]}");

        assertThat(refused.getMessage()).startsWith("Not valid JSON at line 3, column 9: Unexpected character ('}'");
    }

    @Test
    void shouldRefuseDuplicateKeysAndTrailingContent() {
        assertThat(refused("{\"departments\":[],\"departments\":[]}").getMessage())
                .isEqualTo("Not valid JSON at line 1, column 32: Duplicate field 'departments'");
        assertThat(refused("{\"departments\":[" + CARDIOLOGY + "]} []").getMessage())
                .startsWith("Not valid JSON at line 1, column ")
                .contains("Trailing token");
    }

    @Test
    void shouldRefuseSomethingThatIsNotADirectoryObject() {
        assertThat(refused("[" + CARDIOLOGY + "]").getMessage())
                .isEqualTo("Not a directory: expected a JSON object with sites, departments, practitioners,"
                        + " endpoints or affiliations");
        assertThat(refused("{}").problems()).containsExactly(new InputProblem("/", "must have at least 1 properties"));
    }

    @Test
    void shouldRefuseNestingBeyondTheLimitWhileParsing() {
        String deep = "[".repeat(20) + "]".repeat(20);

        InvalidMessageException refused = refused("{\"sites\":" + deep + "}");

        assertThat(refused.getMessage())
                .isEqualTo(
                        "JSON beyond the hub's limits: Document nesting depth (17) exceeds the maximum allowed (16)");
    }

    @Test
    void shouldRefuseAStringBeyondTheLimitWhileParsing() {
        String huge = "x".repeat(100_001);

        InvalidMessageException refused = refused("{\"departments\":[{\"code\":\"" + huge + "\"}]}");

        assertThat(refused.getMessage())
                .isEqualTo("JSON beyond the hub's limits: String value length (100001) exceeds the maximum allowed"
                        + " (100000)");
    }

    @Test
    void shouldRefuseTextThatIsNotUtf8WithItsPosition() {
        byte[] cp1251 = ("{\"departments\":[" + CARDIOLOGY + "]}").getBytes(Charset.forName("windows-1251"));

        InvalidMessageException refused =
                catchThrowableOfType(InvalidMessageException.class, () -> reader.read(cp1251));

        assertThat(refused.getMessage())
                .startsWith("Not valid JSON at line 1, column ")
                .contains("Invalid UTF-8");
    }

    private CatalogueRead read(String json) {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private InvalidMessageException refused(String json) {
        InvalidMessageException refused = catchThrowableOfType(InvalidMessageException.class, () -> read(json));
        assertThat(refused).as("refused: " + json).isNotNull();
        return refused;
    }

    private static byte[] sample() throws IOException {
        try (InputStream in =
                DirectoryJsonReaderTest.class.getResourceAsStream("/samples/directory/mk-kb-stip-directory.json")) {
            return in.readAllBytes();
        }
    }
}
