package org.cbhealth.hub.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A synthetic department export of a Bulgarian hospital, as its information system would write it: UTF-8 CSV with
 * {@code ;}, Bulgarian headers, department names in Cyrillic (Bulgarian) and Latin (English) script, NHIF specialty
 * codes. The same seed and size give the same bytes.
 *
 * <ul>
 *   <li>Row {@code i} (from 1) has the department code {@code DEP-<i, 5 digits>}.
 *   <li>Every {@value #UNMAPPED_EVERY}th row carries an NHIF code the partner's ConceptMap does not map (61, 73 or 95);
 *       the others one of its twelve mapped codes. So {@code n} rows hold {@code n / 25} unmapped codes.
 *   <li>Odd rows are named in Cyrillic, even rows in Latin script.
 * </ul>
 */
public final class DepartmentExport {

    public static final int UNMAPPED_EVERY = 25;

    public static final String HEADER = "Код;Отделение;Код специалност;Специалност;Телефон;Е-поща;Езици;Чужбина";

    /** The channel's {@code columns:} setting for this export, indented for a channel's {@code settings:}. */
    public static final String COLUMNS_YAML = "      columns:\n"
            + "        department-code: Код\n"
            + "        department-name: Отделение\n"
            + "        specialty-code: Код специалност\n"
            + "        specialty-text: Специалност\n"
            + "        phone: Телефон\n"
            + "        email: Е-поща\n"
            + "        languages: Езици\n"
            + "        accepts-cross-border: Чужбина\n";

    /** NHIF code, Bulgarian name, English name: the twelve codes of {@code bg-nhif-specialty-to-cbh}. */
    private static final String[][] MAPPED = {
        {"01", "Акушерство и гинекология", "Obstetrics and Gynaecology"},
        {"05", "Кардиология", "Cardiology"},
        {"08", "Гастроентерология", "Gastroenterology"},
        {"14", "Нефрология", "Nephrology"},
        {"18", "Нервни болести", "Neurology"},
        {"22", "Очни болести", "Ophthalmology"},
        {"27", "Педиатрия", "Paediatrics"},
        {"29", "Ортопедия и травматология", "Orthopaedics and Traumatology"},
        {"33", "Медицинска онкология", "Medical Oncology"},
        {"36", "Хирургия", "General Surgery"},
        {"38", "Урология", "Urology"},
        {"42", "Лъчелечение", "Radiotherapy"},
    };

    /** NHIF codes the ConceptMap leaves out. */
    private static final String[][] UNMAPPED = {
        {"61", "Спортна медицина", "Sports Medicine"},
        {"73", "Трудова медицина", "Occupational Medicine"},
        {"95", "Клинична токсикология", "Clinical Toxicology"},
    };

    private static final String[] WARDS = {"I", "II", "III", "IV"};
    private static final String[] LANGUAGES = {"bg", "bg,en", "bg,mk,en", "bg,de", "bg,ru,en"};

    private DepartmentExport() {}

    /** The department code of row {@code i} (from 1). */
    public static String code(int i) {
        return String.format("DEP-%05d", i);
    }

    /** The {@code rows} data lines of the export of this seed, without the header. */
    public static List<String> lines(long seed, int rows) {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>(rows);
        for (int i = 1; i <= rows; i++) {
            String[] specialty = i % UNMAPPED_EVERY == 0
                    ? UNMAPPED[random.nextInt(UNMAPPED.length)]
                    : MAPPED[random.nextInt(MAPPED.length)];
            String ward = WARDS[random.nextInt(WARDS.length)];
            String name = i % 2 == 1
                    ? "Клиника по " + specialty[1].toLowerCase(Locale.ROOT) + " – " + ward + " отделение, сектор " + i
                    : "Clinic of " + specialty[2] + " – ward " + ward + ", unit " + i;
            String phone = String.format("+359 73 %03d %03d", random.nextInt(1000), random.nextInt(1000));
            String email = "dep" + i + "@mbal.example.bg";
            String languages = LANGUAGES[random.nextInt(LANGUAGES.length)];
            String abroad = random.nextInt(3) == 0 ? "не" : "да";
            lines.add(String.join(";", code(i), name, specialty[0], specialty[1], phone, email, languages, abroad));
        }
        return lines;
    }

    /** The export as the file's bytes: header and lines, UTF-8. */
    public static byte[] csv(List<String> lines) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        lines.forEach(line -> text.append(line).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The lines with row {@code i}'s phone number replaced by {@code phone}. */
    public static List<String> withPhone(List<String> lines, int i, String phone) {
        List<String> changed = new ArrayList<>(lines);
        String[] fields = changed.get(i - 1).split(";", -1);
        fields[4] = phone;
        changed.set(i - 1, String.join(";", fields));
        return changed;
    }
}
