package org.cbhealth.routes.directory.soap;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
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
import org.cbhealth.routes.soap.ElementReader;
import org.cbhealth.routes.soap.HardenedXml;
import org.cbhealth.routes.soap.SoapVersion;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads a complete listing of a partner's SOAP directory service ({@code cbh-directory-v1.xsd}) into the directory
 * model: a {@code PolledDirectory} of every page (what the soap-poll channel hands over), or a listing of one page (a
 * {@code ListDirectoryResponse}, alone or in a SOAP envelope). XML is parsed hardened (no DOCTYPE, no entities,
 * bounded depth).
 *
 * <p>The listing as a whole is refused ({@link InvalidMessageException}) when it is not complete: pages missing, out
 * of order, of different snapshots, a last page that announces more, or records that do not add up to {@code
 * totalRecords}. A full export that is not complete would deactivate records the partner still has.
 *
 * <p>Within a complete listing, each record is read on its own: a record with a problem (missing or malformed
 * element, unknown element, a code already used by another record of its kind) is refused with its path, e.g.
 * {@code /PolledDirectory/ListDirectoryResponse[2]/department[3]/name[1]}, and the others are kept. A
 * practitioner's bad role is refused alone; the practitioner is kept with their other roles.
 */
public class SoapDirectoryReader {

    private static final String NS = DirectorySoapContract.NAMESPACE;
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Set<String> PAGE_HEADER =
            Set.of("snapshot", "generated", "page", "totalRecords", "nextPageToken");

    private final HardenedXml xml = new HardenedXml();

    /**
     * @throws InvalidMessageException when the bytes are not a complete listing, with every problem located
     */
    public CatalogueRead read(byte[] listing) {
        List<Element> pages = pages(xml.parse(listing));
        checkComplete(pages);
        Records records = new Records();
        for (Element page : pages) {
            records.page(page);
        }
        return new CatalogueRead(
                new DirectoryCatalogue(
                        records.sites,
                        records.departments,
                        records.practitioners,
                        records.endpoints,
                        records.affiliations),
                records.refused);
    }

    /** The pages of the listing, in order, each with the path it is named by in problems. */
    private static List<Element> pages(Document document) {
        Element root = document.getDocumentElement();
        if ("Envelope".equals(root.getLocalName())
                && SoapVersion.ofNamespace(root.getNamespaceURI()).isPresent()) {
            Element body = firstChild(root, root.getNamespaceURI(), "Body");
            Element payload = body == null ? null : firstElement(body);
            if (payload == null || !isResponse(payload)) {
                throw refused("/Envelope/Body", "expected one {" + NS + "}ListDirectoryResponse");
            }
            payload.setUserData(PATH, "/" + DirectorySoapContract.LIST_DIRECTORY_RESPONSE, null);
            return List.of(payload);
        }
        if (isResponse(root)) {
            root.setUserData(PATH, "/" + DirectorySoapContract.LIST_DIRECTORY_RESPONSE, null);
            return List.of(root);
        }
        if (!NS.equals(root.getNamespaceURI()) || !DirectorySoapContract.POLLED_DIRECTORY.equals(root.getLocalName())) {
            throw refused(
                    "/" + root.getNodeName(),
                    "expected {" + NS + "}PolledDirectory or {" + NS + "}ListDirectoryResponse: a listing of the"
                            + " directory service (directory-service.wsdl)");
        }
        List<Element> pages = new ArrayList<>();
        List<InputProblem> problems = new ArrayList<>();
        for (Node node = root.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child) {
                if (isResponse(child)) {
                    pages.add(child);
                    child.setUserData(
                            PATH,
                            "/" + DirectorySoapContract.POLLED_DIRECTORY + "/"
                                    + DirectorySoapContract.LIST_DIRECTORY_RESPONSE + "[" + pages.size() + "]",
                            null);
                } else {
                    problems.add(new InputProblem(
                            "/" + DirectorySoapContract.POLLED_DIRECTORY + "/" + child.getNodeName(),
                            "unknown element; a PolledDirectory holds ListDirectoryResponse pages"));
                }
            } else if (node.getNodeType() == Node.TEXT_NODE
                    && !node.getNodeValue().isBlank()) {
                problems.add(
                        new InputProblem("/" + DirectorySoapContract.POLLED_DIRECTORY, "text is not allowed here"));
            }
        }
        if (pages.isEmpty()) {
            problems.add(
                    new InputProblem("/" + DirectorySoapContract.POLLED_DIRECTORY, "no ListDirectoryResponse page"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidMessageException("Directory listing refused", problems);
        }
        return pages;
    }

    /** Every page there, in order, of one snapshot, adding up to the announced total. */
    private static void checkComplete(List<Element> pages) {
        List<InputProblem> problems = new ArrayList<>();
        DirectoryPage first = null;
        long records = 0;
        for (int i = 0; i < pages.size(); i++) {
            String path = path(pages.get(i));
            DirectoryPage page = DirectoryPage.of(pages.get(i), path, problems);
            if (page == null) {
                continue;
            }
            records += page.records();
            if (page.page() != i + 1) {
                problems.add(new InputProblem(
                        path + "/page",
                        "page " + page.page() + " where page " + (i + 1) + " belongs: the listing is not complete"));
            }
            boolean last = i == pages.size() - 1;
            if (last && page.nextPageToken() != null) {
                problems.add(new InputProblem(
                        path + "/nextPageToken", "the last page announces more pages: the listing is not complete"));
            } else if (!last && page.nextPageToken() == null) {
                problems.add(new InputProblem(path, "a page without nextPageToken before the last one"));
            }
            if (first == null) {
                first = page;
            } else if (!first.snapshot().equals(page.snapshot())) {
                problems.add(new InputProblem(
                        path + "/snapshot",
                        "'" + page.snapshot() + "' where page 1 has '" + first.snapshot()
                                + "': pages of different snapshots"));
            } else if (first.totalRecords() != page.totalRecords()) {
                problems.add(new InputProblem(
                        path + "/totalRecords", page.totalRecords() + " where page 1 has " + first.totalRecords()));
            }
        }
        if (problems.isEmpty() && first != null && records != first.totalRecords()) {
            problems.add(new InputProblem(
                    path(pages.get(0)) + "/totalRecords",
                    "the listing announces " + first.totalRecords() + " records and holds " + records
                            + ": it is not complete"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidMessageException("Directory listing refused", problems);
        }
    }

    private static final String PATH = "cbhPath";

    private static String path(Element page) {
        return (String) page.getUserData(PATH);
    }

    /** The records of the listing so far, the codes already used per kind, and what was refused. */
    private static final class Records {

        final List<SiteRecord> sites = new ArrayList<>();
        final List<DepartmentRecord> departments = new ArrayList<>();
        final List<PractitionerRecord> practitioners = new ArrayList<>();
        final List<EndpointRecord> endpoints = new ArrayList<>();
        final List<AffiliationRecord> affiliations = new ArrayList<>();
        final List<InputProblem> refused = new ArrayList<>();
        /** Per kind, the path of the record that uses each code. */
        final Map<String, Map<String, String>> codes = new HashMap<>();

        void page(Element page) {
            String path = path(page);
            for (Node node = page.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element child
                        && !(NS.equals(child.getNamespaceURI())
                                && (PAGE_HEADER.contains(child.getLocalName())
                                        || DirectoryPage.RECORDS.contains(child.getLocalName())))) {
                    refused.add(new InputProblem(
                            path + "/" + child.getNodeName(),
                            NS.equals(child.getNamespaceURI())
                                    ? "unknown element"
                                    : "unknown element in namespace '"
                                            + (child.getNamespaceURI() == null ? "" : child.getNamespaceURI())
                                            + "'; the elements of this service are in namespace " + NS));
                }
            }
            // the page's elements by kind, each with a path of its own: /…/department[3]
            List<InputProblem> unused = new ArrayList<>();
            ElementReader reader = pageReader(page, path, unused);
            reader.children("site").forEach(e -> record(e, "site", "siteCode", this::site, sites));
            reader.children("department")
                    .forEach(e -> record(e, "department", "departmentCode", this::department, departments));
            reader.children("practitioner")
                    .forEach(e -> record(e, "practitioner", "practitionerCode", this::practitioner, practitioners));
            reader.children("endpoint").forEach(e -> record(e, "endpoint", "endpointCode", this::endpoint, endpoints));
            reader.children("affiliation")
                    .forEach(e -> record(e, "affiliation", "agreementCode", this::affiliation, affiliations));
        }

        /** One record: kept when it has no problem and its code is new for its kind; else refused with each problem. */
        private <T> void record(ElementReader e, String kind, String codeElement, RecordReader<T> read, List<T> into) {
            List<InputProblem> problems = new ArrayList<>();
            ElementReader record = rebind(e, problems);
            String code = code(record, codeElement, problems);
            T value = read.read(record, code, problems);
            record.finish();
            if (code != null) {
                String earlier =
                        codes.computeIfAbsent(kind, k -> new HashMap<>()).putIfAbsent(code, record.path());
                if (earlier != null) {
                    problems.add(new InputProblem(
                            record.path() + "/" + codeElement, "'" + code + "' is already the code of " + earlier));
                }
            }
            if (problems.isEmpty()) {
                into.add(value);
            } else {
                refused.addAll(problems);
            }
        }

        private SiteRecord site(ElementReader e, String code, List<InputProblem> problems) {
            List<LocalizedText> names = names(e, problems);
            PostalAddress address =
                    e.child("address").map(a -> address(a, problems)).orElse(null);
            if (address == null && e.child("address").isEmpty()) {
                problems.add(new InputProblem(e.path() + "/address", "required"));
            }
            GeoPoint geo = e.child("geo").map(g -> geo(g, problems)).orElse(null);
            String partOf = optionalCode(e, "partOfSiteCode", problems);
            List<Telecom> telecom = contacts(e, problems);
            return problems.isEmpty() ? new SiteRecord(code, e.path(), names, address, geo, partOf, telecom) : null;
        }

        private DepartmentRecord department(ElementReader e, String code, List<InputProblem> problems) {
            List<LocalizedText> names = names(e, problems);
            List<Code> specialties = codings(e, "specialty", problems);
            List<Code> serviceTypes = codings(e, "serviceType", problems);
            List<String> languages = new ArrayList<>();
            for (ElementReader language : e.children("language")) {
                String tag = language.ownText();
                if (tag == null || !LANGUAGE.matcher(tag).matches()) {
                    problems.add(new InputProblem(language.path(), "'" + tag + "' is not a BCP 47 language tag"));
                } else {
                    languages.add(tag);
                }
            }
            Boolean crossBorder = bool(e, "acceptsCrossBorder", problems);
            List<Telecom> telecom = contacts(e, problems);
            List<String> siteCodes = codes(e, "siteCode", problems);
            List<String> endpointCodes = codes(e, "endpointCode", problems);
            return problems.isEmpty()
                    ? new DepartmentRecord(
                            code,
                            e.path(),
                            names,
                            specialties,
                            serviceTypes,
                            languages,
                            Boolean.TRUE.equals(crossBorder),
                            telecom,
                            siteCodes,
                            endpointCodes)
                    : null;
        }

        private PractitionerRecord practitioner(ElementReader e, String code, List<InputProblem> problems) {
            List<PersonName> names = new ArrayList<>();
            List<ElementReader> nameElements = e.children("name");
            if (nameElements.isEmpty()) {
                problems.add(new InputProblem(e.path() + "/name", "required: the practitioner's name"));
            }
            for (ElementReader name : nameElements) {
                String language = language(name, problems);
                String family = name.text("family");
                if (family == null || family.isEmpty()) {
                    problems.add(new InputProblem(name.path() + "/family", "required"));
                }
                List<String> given = texts(name, "given", problems);
                List<String> prefixes = texts(name, "prefix", problems);
                name.finish();
                if (language != null && family != null && !family.isEmpty()) {
                    names.add(new PersonName(language, family, given, prefixes));
                }
            }
            List<Qualification> qualifications = new ArrayList<>();
            for (ElementReader qualification : e.children("qualification")) {
                Code coded = qualification
                        .child("qualificationCode")
                        .map(c -> coding(c, problems))
                        .orElse(null);
                if (coded == null && qualification.child("qualificationCode").isEmpty()) {
                    problems.add(new InputProblem(qualification.path() + "/qualificationCode", "required"));
                }
                String issuer = qualification.text("issuer");
                qualification.finish();
                if (coded != null) {
                    qualifications.add(new Qualification(coded, issuer == null || issuer.isEmpty() ? null : issuer));
                }
            }
            // a bad role is refused alone
            List<PractitionerRoleRecord> roles = new ArrayList<>();
            for (ElementReader role : e.children("role")) {
                List<InputProblem> roleProblems = new ArrayList<>();
                ElementReader r = rebind(role, roleProblems);
                String roleCode = code(r, "roleCode", roleProblems);
                String department = optionalCode(r, "departmentCode", roleProblems);
                List<Code> specialties = codings(r, "specialty", roleProblems);
                List<Telecom> telecom = contacts(r, roleProblems);
                r.finish();
                if (roleCode != null && code != null) {
                    String earlier =
                            codes.computeIfAbsent("role", k -> new HashMap<>()).putIfAbsent(roleCode, r.path());
                    if (earlier != null) {
                        roleProblems.add(new InputProblem(
                                r.path() + "/roleCode", "'" + roleCode + "' is already the code of " + earlier));
                    }
                }
                if (roleProblems.isEmpty() && code != null) {
                    roles.add(new PractitionerRoleRecord(roleCode, r.path(), code, department, specialties, telecom));
                } else {
                    refused.addAll(roleProblems);
                }
            }
            return problems.isEmpty() ? new PractitionerRecord(code, e.path(), names, qualifications, roles) : null;
        }

        private EndpointRecord endpoint(ElementReader e, String code, List<InputProblem> problems) {
            String name = e.text("name");
            Code connectionType =
                    e.child("connectionType").map(c -> coding(c, problems)).orElse(null);
            if (e.child("connectionType").isEmpty()) {
                problems.add(new InputProblem(e.path() + "/connectionType", "required, e.g. hl7-fhir-rest"));
            }
            String address = e.text("address");
            if (address == null || address.isEmpty()) {
                problems.add(new InputProblem(e.path() + "/address", "required: the endpoint's URL"));
            }
            List<Code> payloadTypes = codings(e, "payloadType", problems);
            if (e.children("payloadType").isEmpty()) {
                problems.add(new InputProblem(e.path() + "/payloadType", "required: at least one"));
            }
            List<String> mimeTypes = texts(e, "mimeType", problems);
            return problems.isEmpty()
                    ? new EndpointRecord(
                            code,
                            e.path(),
                            name == null || name.isEmpty() ? null : name,
                            connectionType,
                            address,
                            payloadTypes,
                            mimeTypes)
                    : null;
        }

        private AffiliationRecord affiliation(ElementReader e, String code, List<InputProblem> problems) {
            OrganizationRef partner = e.child("partnerOrganization")
                    .map(p -> organization(p, problems))
                    .orElse(null);
            if (e.child("partnerOrganization").isEmpty()) {
                problems.add(new InputProblem(e.path() + "/partnerOrganization", "required"));
            }
            List<Code> roles = codings(e, "role", problems);
            String description = e.text("description");
            LocalDate start = date(e, "start", problems);
            if (start == null && e.text("start") == null) {
                problems.add(new InputProblem(e.path() + "/start", "required: the day the agreement starts"));
            }
            LocalDate end = date(e, "end", problems);
            if (start != null && end != null && end.isBefore(start)) {
                problems.add(new InputProblem(e.path() + "/end", end + " is before the start " + start));
            }
            List<Code> specialties = codings(e, "specialty", problems);
            List<String> departmentCodes = codes(e, "departmentCode", problems);
            List<String> siteCodes = codes(e, "siteCode", problems);
            return problems.isEmpty()
                    ? new AffiliationRecord(
                            code,
                            e.path(),
                            partner,
                            roles,
                            description == null || description.isEmpty() ? null : description,
                            start,
                            end,
                            specialties,
                            departmentCodes,
                            siteCodes)
                    : null;
        }

        // ---------------------------------------------------------------- parts

        private static List<LocalizedText> names(ElementReader e, List<InputProblem> problems) {
            List<LocalizedText> names = new ArrayList<>();
            List<ElementReader> elements = e.children("name");
            if (elements.isEmpty()) {
                problems.add(new InputProblem(e.path() + "/name", "required: a name in at least one language"));
            }
            for (ElementReader name : elements) {
                String language = language(name, problems);
                String text = name.ownText();
                if (text == null || text.isEmpty()) {
                    problems.add(new InputProblem(name.path(), "must be a non-empty name"));
                } else if (language != null) {
                    names.add(new LocalizedText(language, text));
                }
            }
            return names;
        }

        private static String language(ElementReader element, List<InputProblem> problems) {
            String language = element.attribute("lang");
            if (language == null) {
                problems.add(new InputProblem(element.path() + "/@lang", "required: the language, e.g. lang=\"sl\""));
                return null;
            }
            if (!LANGUAGE.matcher(language).matches()) {
                problems.add(
                        new InputProblem(element.path() + "/@lang", "'" + language + "' is not a BCP 47 language tag"));
                return null;
            }
            return language;
        }

        private static PostalAddress address(ElementReader a, List<InputProblem> problems) {
            List<String> lines = texts(a, "line", problems);
            String city = a.text("city");
            String district = a.text("district");
            String postalCode = a.text("postalCode");
            String country = a.text("country");
            a.finish();
            if (country == null || !COUNTRY.matcher(country).matches()) {
                problems.add(new InputProblem(
                        a.path() + "/country",
                        country == null ? "required: ISO 3166 alpha-2" : "'" + country + "' is not ISO 3166 alpha-2"));
                return null;
            }
            return new PostalAddress(lines, blankToNull(city), blankToNull(district), blankToNull(postalCode), country);
        }

        private static GeoPoint geo(ElementReader g, List<InputProblem> problems) {
            BigDecimal latitude = degrees(g, "latitude", 90, problems);
            BigDecimal longitude = degrees(g, "longitude", 180, problems);
            g.finish();
            return latitude == null || longitude == null ? null : new GeoPoint(latitude, longitude);
        }

        private static BigDecimal degrees(ElementReader g, String name, int limit, List<InputProblem> problems) {
            String text = g.text(name);
            if (text == null) {
                problems.add(new InputProblem(g.path() + "/" + name, "required"));
                return null;
            }
            try {
                BigDecimal value = new BigDecimal(text);
                if (value.abs().compareTo(BigDecimal.valueOf(limit)) > 0) {
                    problems.add(new InputProblem(
                            g.path() + "/" + name, "'" + text + "' is out of range (-" + limit + " to " + limit + ")"));
                    return null;
                }
                return value;
            } catch (NumberFormatException e) {
                problems.add(new InputProblem(g.path() + "/" + name, "'" + text + "' is not a decimal number"));
                return null;
            }
        }

        private static List<Telecom> contacts(ElementReader e, List<InputProblem> problems) {
            List<Telecom> telecom = new ArrayList<>();
            for (ElementReader contact : e.children("contact")) {
                String type = contact.attribute("type");
                String value = contact.ownText();
                Telecom.Kind kind = type == null
                        ? null
                        : switch (type) {
                            case "phone" -> Telecom.Kind.PHONE;
                            case "fax" -> Telecom.Kind.FAX;
                            case "email" -> Telecom.Kind.EMAIL;
                            case "url" -> Telecom.Kind.URL;
                            default -> null;
                        };
                if (kind == null) {
                    problems.add(new InputProblem(
                            contact.path() + "/@type",
                            (type == null ? "required" : "'" + type + "' is not a contact type")
                                    + "; one of phone, fax, email, url"));
                } else if (value == null || value.isEmpty()) {
                    problems.add(new InputProblem(contact.path(), "must not be empty"));
                } else {
                    telecom.add(new Telecom(kind, value));
                }
            }
            return telecom;
        }

        private static List<Code> codings(ElementReader e, String name, List<InputProblem> problems) {
            List<Code> codes = new ArrayList<>();
            for (ElementReader coded : e.children(name)) {
                Code code = coding(coded, problems);
                if (code != null) {
                    codes.add(code);
                }
            }
            return codes;
        }

        private static Code coding(ElementReader c, List<InputProblem> problems) {
            String system = c.text("system");
            String code = c.text("code");
            String display = c.text("display");
            c.finish();
            boolean good = true;
            if (system != null && !absoluteUri(system)) {
                problems.add(new InputProblem(c.path() + "/system", "'" + system + "' is not an absolute URI"));
                good = false;
            }
            if (code == null || code.isEmpty()) {
                problems.add(new InputProblem(c.path() + "/code", "required"));
                good = false;
            }
            return good ? new Code(system, code, blankToNull(display)) : null;
        }

        private static OrganizationRef organization(ElementReader p, List<InputProblem> problems) {
            String system = p.text("system");
            String value = p.text("value");
            String name = p.text("name");
            p.finish();
            boolean good = true;
            if (system == null || !absoluteUri(system)) {
                problems.add(new InputProblem(
                        p.path() + "/system",
                        system == null
                                ? "required: the registry's identifier system (an absolute URI)"
                                : "'" + system + "' is not an absolute URI"));
                good = false;
            }
            if (value == null || value.isEmpty()) {
                problems.add(new InputProblem(p.path() + "/value", "required"));
                good = false;
            }
            return good ? new OrganizationRef(system, value, blankToNull(name)) : null;
        }

        private static Boolean bool(ElementReader e, String name, List<InputProblem> problems) {
            String text = e.text(name);
            if (text == null) {
                return null;
            }
            return switch (text) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> {
                    problems.add(new InputProblem(e.path() + "/" + name, "'" + text + "' is not true or false"));
                    yield null;
                }
            };
        }

        private static LocalDate date(ElementReader e, String name, List<InputProblem> problems) {
            String text = e.text(name);
            if (text == null) {
                return null;
            }
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException ex) {
                problems.add(new InputProblem(e.path() + "/" + name, "'" + text + "' is not a date (YYYY-MM-DD)"));
                return null;
            }
        }

        private static String code(ElementReader e, String name, List<InputProblem> problems) {
            String code = e.text(name);
            if (code == null || code.isEmpty()) {
                problems.add(new InputProblem(e.path() + "/" + name, "required: the partner's code of the record"));
                return null;
            }
            return checkedCode(code, e.path() + "/" + name, problems);
        }

        private static String optionalCode(ElementReader e, String name, List<InputProblem> problems) {
            String code = e.text(name);
            return code == null || code.isEmpty() ? null : checkedCode(code, e.path() + "/" + name, problems);
        }

        private static List<String> codes(ElementReader e, String name, List<InputProblem> problems) {
            List<String> codes = new ArrayList<>();
            for (ElementReader element : e.children(name)) {
                String code = checkedCode(element.ownText(), element.path(), problems);
                if (code != null) {
                    codes.add(code);
                }
            }
            return codes;
        }

        private static String checkedCode(String code, String path, List<InputProblem> problems) {
            if (code == null || !CODE.matcher(code).matches()) {
                problems.add(
                        new InputProblem(path, "'" + code + "' is not a code: 1 to 64 letters, digits, '-' and '.'"));
                return null;
            }
            return code;
        }

        private static List<String> texts(ElementReader e, String name, List<InputProblem> problems) {
            List<String> texts = new ArrayList<>();
            for (ElementReader element : e.children(name)) {
                String text = element.ownText();
                if (text == null || text.isEmpty()) {
                    problems.add(new InputProblem(element.path(), "must not be empty"));
                } else {
                    texts.add(text);
                }
            }
            return texts;
        }
    }

    /** Reads one record's elements into a record, or returns null when {@code problems} has any. */
    @FunctionalInterface
    private interface RecordReader<T> {
        T read(ElementReader record, String code, List<InputProblem> problems);
    }

    /** A reader of the page's records, whose problems (of the page as a whole) are not used. */
    private static ElementReader pageReader(Element page, String path, List<InputProblem> unused) {
        return ElementReader.at(page, path, NS, unused);
    }

    /** The same element, read with problems collected in {@code problems}. */
    private static ElementReader rebind(ElementReader reader, List<InputProblem> problems) {
        return reader.withProblems(problems);
    }

    private static boolean isResponse(Element element) {
        return NS.equals(element.getNamespaceURI())
                && DirectorySoapContract.LIST_DIRECTORY_RESPONSE.equals(element.getLocalName());
    }

    private static boolean absoluteUri(String value) {
        try {
            return new URI(value).isAbsolute();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    private static Element firstChild(Element parent, String namespace, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element
                    && namespace.equals(element.getNamespaceURI())
                    && name.equals(element.getLocalName())) {
                return element;
            }
        }
        return null;
    }

    private static Element firstElement(Element parent) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                return element;
            }
        }
        return null;
    }

    private static InvalidMessageException refused(String location, String reason) {
        return new InvalidMessageException("Directory listing refused", List.of(new InputProblem(location, reason)));
    }
}
