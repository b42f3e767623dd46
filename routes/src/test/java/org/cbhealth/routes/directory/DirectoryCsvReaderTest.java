package org.cbhealth.routes.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cbhealth.routes.directory.DirectoryField.ACCEPTS_CROSS_BORDER;
import static org.cbhealth.routes.directory.DirectoryField.DEPARTMENT_CODE;
import static org.cbhealth.routes.directory.DirectoryField.DEPARTMENT_NAME;
import static org.cbhealth.routes.directory.DirectoryField.EMAIL;
import static org.cbhealth.routes.directory.DirectoryField.HEAD_ID;
import static org.cbhealth.routes.directory.DirectoryField.HEAD_NAME;
import static org.cbhealth.routes.directory.DirectoryField.LANGUAGES;
import static org.cbhealth.routes.directory.DirectoryField.PHONE;
import static org.cbhealth.routes.directory.DirectoryField.SPECIALTY_CODE;
import static org.cbhealth.routes.directory.DirectoryField.SPECIALTY_TEXT;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.junit.jupiter.api.Test;

class DirectoryCsvReaderTest {

    private static final Charset WINDOWS_1251 = Charset.forName("windows-1251");

    /** The North Macedonian clinical hospital's export: UTF-8, semicolons, Macedonian headers. */
    static final CsvLayout MK_STIP = new CsvLayout(
            ';',
            StandardCharsets.UTF_8,
            Map.of(
                    DEPARTMENT_CODE, "Шифра",
                    DEPARTMENT_NAME, "Назив на одделение",
                    SPECIALTY_TEXT, "Специјалност",
                    HEAD_NAME, "Раководител",
                    PHONE, "Телефон",
                    EMAIL, "Е-пошта",
                    LANGUAGES, "Јазици",
                    ACCEPTS_CROSS_BORDER, "Прима прекугранични упати"));

    /** The Bulgarian hospital's export: windows-1251, other columns, with the NHIF specialty code. */
    static final CsvLayout BG_BLAGOEVGRAD = new CsvLayout(
            ';',
            WINDOWS_1251,
            Map.of(
                    DEPARTMENT_CODE, "Код",
                    DEPARTMENT_NAME, "Отделение",
                    SPECIALTY_CODE, "Код специалност",
                    SPECIALTY_TEXT, "Специалност",
                    HEAD_NAME, "Началник",
                    HEAD_ID, "УИН",
                    PHONE, "Телефон",
                    ACCEPTS_CROSS_BORDER, "Приема пациенти от чужбина"));

    private final DirectoryCsvReader reader = new DirectoryCsvReader();

    @Test
    void shouldReadEveryMacedonianDepartment() throws IOException {
        CsvReadResult result = reader.read(sample("mk-kb-stip-departments.csv"), MK_STIP);

        assertThat(result.problems()).isEmpty();
        assertThat(result.rows())
                .extracting(r -> r.get(DEPARTMENT_CODE).orElseThrow())
                .containsExactly("ODD-01", "ODD-02", "ODD-03", "ODD-04", "ODD-05");
        DirectoryRow cardiology = result.rows().get(0);
        assertThat(cardiology.line()).isEqualTo(2);
        assertThat(cardiology.get(DEPARTMENT_NAME)).hasValue("Одделение за кардиологија");
        assertThat(cardiology.get(LANGUAGES)).hasValue("mk,bg,en");
        assertThat(cardiology.get(ACCEPTS_CROSS_BORDER)).hasValue("да");
        assertThat(result.rows().get(4).get(HEAD_NAME)).isEmpty();
    }

    @Test
    void shouldDecodeWindows1251AndReportTheBadRowWithItsLineAndColumns() throws IOException {
        CsvReadResult result = reader.read(sample("bg-mbal-blagoevgrad-departments-cp1251.csv"), BG_BLAGOEVGRAD);

        assertThat(result.rows())
                .extracting(r -> r.get(DEPARTMENT_CODE).orElseThrow())
                .containsExactly("KAR", "INV", "NEV", "HIR", "ONK");
        assertThat(result.rows().get(0).get(DEPARTMENT_NAME)).hasValue("Отделение по кардиология");
        assertThat(result.rows().get(0).get(SPECIALTY_CODE)).hasValue("05");
        assertThat(result.problems())
                .extracting(RowProblem::toString)
                .containsExactly(
                        "line 7, column 'Отделение': required value is empty",
                        "line 7, column 'Приема пациенти от чужбина': 'Може би' is not a yes/no answer");
    }

    @Test
    void shouldRefuseWindows1251ExportDeclaredAsUtf8() throws IOException {
        byte[] cp1251 = sample("bg-mbal-blagoevgrad-departments-cp1251.csv");
        CsvLayout declaredUtf8 = new CsvLayout(';', StandardCharsets.UTF_8, BG_BLAGOEVGRAD.columns());

        assertThatThrownBy(() -> reader.read(cp1251, declaredUtf8))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageStartingWith("the export is not valid UTF-8 (declared in the partner's layout)");
    }

    @Test
    void shouldRefuseUtf8ExportDeclaredAsWindows1251() throws IOException {
        byte[] utf8 = sample("mk-kb-stip-departments.csv");
        CsvLayout declaredCp1251 = new CsvLayout(';', WINDOWS_1251, MK_STIP.columns());

        assertThatThrownBy(() -> reader.read(utf8, declaredCp1251))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("the export is UTF-8 encoded but the partner's layout declares windows-1251; fix the"
                        + " export or the layout");
    }

    @Test
    void shouldRefuseWrongColumnSetNamingTheMissingColumns() throws IOException {
        byte[] bulgarian = new String(sample("bg-mbal-blagoevgrad-departments-cp1251.csv"), WINDOWS_1251)
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> reader.read(bulgarian, MK_STIP))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageStartingWith("wrong column set: missing [Јазици, Е-пошта, Назив на одделение, Прима"
                        + " прекугранични упати, Раководител, Специјалност, Шифра]");
    }

    @Test
    void shouldReportALanguageThatIsNotAnIsoCode() {
        String csv = "Шифра;Назив на одделение;Специјалност;Раководител;Телефон;Е-пошта;Јазици;Прима прекугранични"
                + " упати\nODD-09;Одделение;Хирургија;;;;mk,macedonian;да\n";

        CsvReadResult result = reader.read(csv.getBytes(StandardCharsets.UTF_8), MK_STIP);

        assertThat(result.rows()).isEmpty();
        assertThat(result.problems())
                .containsExactly(new RowProblem(2, "Јазици", "'macedonian' is not an ISO 639-1 language code"));
    }

    private static byte[] sample(String file) throws IOException {
        try (InputStream in = DirectoryCsvReaderTest.class.getResourceAsStream("/samples/directory/" + file)) {
            assertThat(in).as(file).isNotNull();
            return in.readAllBytes();
        }
    }
}
