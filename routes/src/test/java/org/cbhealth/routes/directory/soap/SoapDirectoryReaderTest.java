package org.cbhealth.routes.directory.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
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
import org.junit.jupiter.api.Test;

/**
 * A listing of UKC Maribor's SOAP directory service (two pages) read into the directory model, record by record with
 * literal values; incomplete listings refused as a whole; bad records refused one by one with their paths.
 */
class SoapDirectoryReaderTest {

    private static final String LISTING = "si-ukc-maribor-listing.xml";
    private static final String PAGE_1 = "/PolledDirectory/ListDirectoryResponse[1]";
    private static final String PAGE_2 = "/PolledDirectory/ListDirectoryResponse[2]";

    private final SoapDirectoryReader reader = new SoapDirectoryReader();

    @Test
    void shouldKeepTheFixtureValidAgainstTheSchema() {
        DirectoryXml.of(DirectoryXml.fixture(LISTING)).assertValid("/dir:PolledDirectory");
    }

    @Test
    void shouldReadEveryRecordOfBothPagesInOrder() {
        CatalogueRead read = reader.read(DirectoryXml.fixture(LISTING));

        assertThat(read.refused()).isEmpty();
        DirectoryCatalogue catalogue = read.catalogue();
        assertThat(catalogue.sites()).extracting(SiteRecord::code).containsExactly("UKCM", "UKCM-PED");
        assertThat(catalogue.departments())
                .extracting(DepartmentRecord::code)
                .containsExactly("KAR-01", "NEV-01", "TOR-01", "PED-01", "FRM-01");
        assertThat(catalogue.practitioners())
                .extracting(PractitionerRecord::code)
                .containsExactly("ZD-10482", "ZD-20931");
        assertThat(catalogue.endpoints()).extracting(EndpointRecord::code).containsExactly("EP-FHIR", "EP-MLLP");
        assertThat(catalogue.affiliations()).extracting(AffiliationRecord::code).containsExactly("SI-AT-2019");
        assertThat(catalogue.size()).isEqualTo(14); // 12 records and 2 roles
    }

    @Test
    void shouldReadASiteWithNamesAddressGeoAndPhone() {
        SiteRecord site =
                reader.read(DirectoryXml.fixture(LISTING)).catalogue().sites().get(0);

        assertThat(site)
                .isEqualTo(new SiteRecord(
                        "UKCM",
                        PAGE_1 + "/site[1]",
                        List.of(
                                new LocalizedText("sl", "Univerzitetni klinični center Maribor"),
                                new LocalizedText("de", "Universitätsklinikum Maribor")),
                        new PostalAddress(List.of("Ljubljanska ulica 5"), "Maribor", null, "2000", "SI"),
                        new GeoPoint(new BigDecimal("46.5497"), new BigDecimal("15.6424")),
                        null,
                        List.of(new Telecom(Telecom.Kind.PHONE, "+386 2 321 10 00"))));
        assertThat(reader.read(DirectoryXml.fixture(LISTING))
                        .catalogue()
                        .sites()
                        .get(1)
                        .partOfCode())
                .isEqualTo("UKCM");
    }

    @Test
    void shouldReadADepartmentWithSpecialtyLanguagesContactsSiteAndEndpoint() {
        DepartmentRecord cardiology = reader.read(DirectoryXml.fixture(LISTING))
                .catalogue()
                .departments()
                .get(0);

        assertThat(cardiology)
                .isEqualTo(new DepartmentRecord(
                        "KAR-01",
                        PAGE_1 + "/department[1]",
                        List.of(
                                new LocalizedText("sl", "Oddelek za kardiologijo in angiologijo"),
                                new LocalizedText("de", "Abteilung für Kardiologie und Angiologie")),
                        List.of(new Code(null, "KAR", "Kardiologija")),
                        List.of(),
                        List.of("sl", "de", "en"),
                        true,
                        List.of(
                                new Telecom(Telecom.Kind.PHONE, "+386 2 321 28 11"),
                                new Telecom(Telecom.Kind.EMAIL, "kardiologija@ukc-mb.example")),
                        List.of("UKCM"),
                        List.of("EP-FHIR")));
    }

    @Test
    void shouldTakeAMissingOrFalseCrossBorderFlagAsFalse() {
        List<DepartmentRecord> departments =
                reader.read(DirectoryXml.fixture(LISTING)).catalogue().departments();

        assertThat(departments.get(1).acceptsCrossBorderReferrals()).isFalse(); // <acceptsCrossBorder>false
        assertThat(departments.get(4).acceptsCrossBorderReferrals()).isFalse(); // absent
        assertThat(departments.get(4).position()).isEqualTo(PAGE_2 + "/department[1]");
    }

    @Test
    void shouldReadAPractitionerWithNameQualificationAndRole() {
        PractitionerRecord horvat = reader.read(DirectoryXml.fixture(LISTING))
                .catalogue()
                .practitioners()
                .get(0);

        assertThat(horvat)
                .isEqualTo(new PractitionerRecord(
                        "ZD-10482",
                        PAGE_2 + "/practitioner[1]",
                        List.of(new PersonName("sl", "Horvat", List.of("Matej"), List.of("doc. dr."))),
                        List.of(new Qualification(
                                new Code(null, "KAR", "specialist kardiologije in vaskularne medicine"),
                                "Zdravniška zbornica Slovenije")),
                        List.of(new PractitionerRoleRecord(
                                "ZD-10482-KAR",
                                PAGE_2 + "/practitioner[1]/role[1]",
                                "ZD-10482",
                                "KAR-01",
                                List.of(new Code(null, "KAR", null)),
                                List.of(new Telecom(Telecom.Kind.EMAIL, "matej.horvat@ukc-mb.example"))))));
        assertThat(reader.read(DirectoryXml.fixture(LISTING))
                        .catalogue()
                        .practitioners()
                        .get(1)
                        .names())
                .containsExactly(new PersonName("sl", "Zupan", List.of("Ana", "Marija"), List.of()));
    }

    @Test
    void shouldReadEndpointsAndAnAffiliation() {
        DirectoryCatalogue catalogue =
                reader.read(DirectoryXml.fixture(LISTING)).catalogue();

        assertThat(catalogue.endpoints().get(0))
                .isEqualTo(new EndpointRecord(
                        "EP-FHIR",
                        PAGE_2 + "/endpoint[1]",
                        "UKC Maribor FHIR R4",
                        new Code(null, "hl7-fhir-rest", null),
                        "https://fhir.ukc-mb.example/r4",
                        List.of(new Code("http://terminology.hl7.org/CodeSystem/endpoint-payload-type", "any", null)),
                        List.of("application/fhir+json")));
        assertThat(catalogue.endpoints().get(1).name()).isNull();
        assertThat(catalogue.affiliations().get(0))
                .isEqualTo(new AffiliationRecord(
                        "SI-AT-2019",
                        PAGE_2 + "/affiliation[1]",
                        new OrganizationRef(
                                "https://fhir.cbhealth.eu/sid/registry/at-gda",
                                "KABEG-KK",
                                "Klinikum Klagenfurt am Wörthersee"),
                        List.of(new Code(null, "member", null)),
                        "Dogovor o čezmejnem sodelovanju v kardiologiji in torakalni kirurgiji",
                        LocalDate.of(2019, 5, 1),
                        null,
                        List.of(new Code(null, "KAR", null)),
                        List.of("KAR-01", "TOR-01"),
                        List.of()));
    }

    @Test
    void shouldReadAOnePageListingAloneOrInItsSoapEnvelope() {
        String page = DirectoryXml.page("s1", 1, 2, 2, null);

        CatalogueRead inEnvelope = reader.read(page.getBytes(StandardCharsets.UTF_8));
        String alone = page.substring(page.indexOf("<d:ListDirectoryResponse"), page.indexOf("</s:Body>"));
        CatalogueRead bare = reader.read(alone.getBytes(StandardCharsets.UTF_8));

        assertThat(inEnvelope.catalogue().departments())
                .extracting(DepartmentRecord::code, DepartmentRecord::position)
                .containsExactly(
                        tuple("D1-1", "/ListDirectoryResponse/department[1]"),
                        tuple("D1-2", "/ListDirectoryResponse/department[2]"));
        assertThat(bare.catalogue()).isEqualTo(inEnvelope.catalogue());
    }

    // ---------------------------------------------------------------- incomplete listings: refused whole

    @Test
    void shouldRefuseAListingWhoseRecordsDoNotAddUpToTheAnnouncedTotal() {
        String text = new String(DirectoryXml.fixture(LISTING), StandardCharsets.UTF_8);
        byte[] withoutAffiliation = text.substring(0, text.indexOf("<dir:affiliation>"))
                .concat(text.substring(text.indexOf("</dir:affiliation>") + "</dir:affiliation>".length()))
                .getBytes(StandardCharsets.UTF_8);

        assertThat(refusal(withoutAffiliation))
                .containsExactly(new InputProblem(
                        PAGE_1 + "/totalRecords", "the listing announces 12 records and holds 11: it is not complete"));
    }

    @Test
    void shouldRefuseAListingWhoseLastPageAnnouncesMore() {
        String page = DirectoryXml.page("s1", 1, 2, 2, "next-please");

        assertThat(refusal(page.getBytes(StandardCharsets.UTF_8)))
                .containsExactly(new InputProblem(
                        "/ListDirectoryResponse/nextPageToken",
                        "the last page announces more pages: the listing is not complete"));
    }

    @Test
    void shouldRefuseAListingWithAPageMissingOrOfAnotherSnapshot() {
        byte[] secondPageAlone = DirectoryXml.page("s1", 2, 2, 2, null).getBytes(StandardCharsets.UTF_8);
        String text = new String(DirectoryXml.fixture(LISTING), StandardCharsets.UTF_8);
        int second = text.lastIndexOf("2026-11-20T06:00:00Z#417");
        byte[] otherSnapshot = (text.substring(0, second) + "2026-11-21T06:00:00Z#418"
                        + text.substring(second + "2026-11-20T06:00:00Z#417".length()))
                .getBytes(StandardCharsets.UTF_8);

        assertThat(refusal(secondPageAlone))
                .containsExactly(new InputProblem(
                        "/ListDirectoryResponse/page", "page 2 where page 1 belongs: the listing is not complete"));
        assertThat(refusal(otherSnapshot))
                .containsExactly(new InputProblem(
                        PAGE_2 + "/snapshot",
                        "'2026-11-21T06:00:00Z#418' where page 1 has '2026-11-20T06:00:00Z#417': pages of different"
                                + " snapshots"));
    }

    @Test
    void shouldRefuseWhatIsNotAListing() {
        assertThat(refusal("<x:Other xmlns:x=\"urn:x\"/>".getBytes(StandardCharsets.UTF_8)))
                .containsExactly(new InputProblem(
                        "/x:Other",
                        "expected {https://fhir.cbhealth.eu/soap/directory/v1}PolledDirectory or"
                                + " {https://fhir.cbhealth.eu/soap/directory/v1}ListDirectoryResponse: a listing of the"
                                + " directory service (directory-service.wsdl)"));
        assertThat(refusal(DirectoryXml.envelope("<x:Other xmlns:x=\"urn:x\"/>").getBytes(StandardCharsets.UTF_8)))
                .containsExactly(new InputProblem(
                        "/Envelope/Body",
                        "expected one {https://fhir.cbhealth.eu/soap/directory/v1}ListDirectoryResponse"));
    }

    @Test
    void shouldRefuseADoctypeWithoutResolvingIt() {
        byte[] xxe = ("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + "<d:PolledDirectory xmlns:d=\"https://fhir.cbhealth.eu/soap/directory/v1\">&x;</d:PolledDirectory>")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(refusal(xxe)).singleElement().satisfies(p -> assertThat(p.reason())
                .isEqualTo("a document type declaration (DOCTYPE) is not accepted: entities are never declared,"
                        + " expanded or fetched"));
    }

    // ---------------------------------------------------------------- bad records: refused one by one

    @Test
    void shouldRefuseADepartmentWithoutCodeAndKeepTheOthers() {
        byte[] listing = DirectoryXml.fixtureWith(
                LISTING,
                "<dir:departmentCode>NEV-01</dir:departmentCode>",
                "<dir:departmentCode> </dir:departmentCode>");

        CatalogueRead read = reader.read(listing);

        assertThat(read.refused())
                .containsExactly(new InputProblem(
                        PAGE_1 + "/department[2]/departmentCode", "required: the partner's code of the record"));
        assertThat(read.catalogue().departments())
                .extracting(DepartmentRecord::code)
                .containsExactly("KAR-01", "TOR-01", "PED-01", "FRM-01");
    }

    @Test
    void shouldRefuseTheSecondRecordWithACodeAlreadyUsed() {
        byte[] listing = DirectoryXml.fixtureWith(
                LISTING,
                "<dir:departmentCode>FRM-01</dir:departmentCode>",
                "<dir:departmentCode>KAR-01</dir:departmentCode>");

        CatalogueRead read = reader.read(listing);

        assertThat(read.refused())
                .containsExactly(new InputProblem(
                        PAGE_2 + "/department[1]/departmentCode",
                        "'KAR-01' is already the code of " + PAGE_1 + "/department[1]"));
        assertThat(read.catalogue().departments()).hasSize(4);
    }

    @Test
    void shouldRefuseASiteWithEveryProblemNamed() {
        byte[] listing = DirectoryXml.fixtureWith(
                LISTING,
                "<dir:name lang=\"sl\">Klinika za pediatrijo</dir:name>\n      <dir:address>",
                "<dir:name>Klinika za pediatrijo</dir:name><dir:beds>120</dir:beds>\n      <dir:address>");
        String text = new String(listing, StandardCharsets.UTF_8);
        int second = text.indexOf("<dir:country>SI</dir:country>", text.indexOf("UKCM-PED"));
        listing = (text.substring(0, second) + "<dir:country>Slovenia</dir:country>"
                        + text.substring(second + "<dir:country>SI</dir:country>".length()))
                .getBytes(StandardCharsets.UTF_8);

        CatalogueRead read = reader.read(listing);

        assertThat(read.refused())
                .containsExactlyInAnyOrder(
                        new InputProblem(PAGE_1 + "/site[2]/name[1]/@lang", "required: the language, e.g. lang=\"sl\""),
                        new InputProblem(PAGE_1 + "/site[2]/address/country", "'Slovenia' is not ISO 3166 alpha-2"),
                        new InputProblem(PAGE_1 + "/site[2]/beds", "unknown element"));
        assertThat(read.catalogue().sites()).extracting(SiteRecord::code).containsExactly("UKCM");
    }

    @Test
    void shouldRefuseABadRoleAloneAndKeepThePractitioner() {
        byte[] listing = DirectoryXml.fixtureWith(
                LISTING,
                "<dir:departmentCode>PED-01</dir:departmentCode>\n        <dir:specialty>",
                "<dir:departmentCode>PED 01</dir:departmentCode>\n        <dir:specialty>");

        CatalogueRead read = reader.read(listing);

        assertThat(read.refused())
                .containsExactly(new InputProblem(
                        PAGE_2 + "/practitioner[2]/role[1]/departmentCode",
                        "'PED 01' is not a code: 1 to 64 letters, digits, '-' and '.'"));
        PractitionerRecord zupan = read.catalogue().practitioners().get(1);
        assertThat(zupan.code()).isEqualTo("ZD-20931");
        assertThat(zupan.roles()).isEmpty();
    }

    @Test
    void shouldRefuseAnAffiliationEndingBeforeItStartsAndAnEndpointWithoutPayloadType() {
        byte[] listing = DirectoryXml.fixtureWith(
                LISTING,
                "<dir:start>2019-05-01</dir:start>",
                "<dir:start>2019-05-01</dir:start><dir:end>2018-12-31</dir:end>");
        String text = new String(listing, StandardCharsets.UTF_8);
        int mllp = text.indexOf("<dir:endpointCode>EP-MLLP</dir:endpointCode>");
        int payload = text.indexOf("<dir:payloadType>", mllp);
        int payloadEnd = text.indexOf("</dir:payloadType>", payload) + "</dir:payloadType>".length();
        listing = (text.substring(0, payload) + text.substring(payloadEnd)).getBytes(StandardCharsets.UTF_8);

        CatalogueRead read = reader.read(listing);

        assertThat(read.refused())
                .containsExactlyInAnyOrder(
                        new InputProblem(PAGE_2 + "/affiliation[1]/end", "2018-12-31 is before the start 2019-05-01"),
                        new InputProblem(PAGE_2 + "/endpoint[2]/payloadType", "required: at least one"));
        assertThat(read.catalogue().affiliations()).isEmpty();
        assertThat(read.catalogue().endpoints())
                .extracting(EndpointRecord::code)
                .containsExactly("EP-FHIR");
    }

    @Test
    void shouldReportAnElementOfAnotherNamespaceInAPage() {
        byte[] listing = DirectoryXml.fixtureWith(
                LISTING, "<dir:page>1</dir:page>", "<dir:page>1</dir:page><x:extra xmlns:x=\"urn:other\">1</x:extra>");

        CatalogueRead read = reader.read(listing);

        assertThat(read.refused())
                .containsExactly(new InputProblem(
                        PAGE_1 + "/x:extra",
                        "unknown element in namespace 'urn:other'; the elements of this service are in namespace"
                                + " https://fhir.cbhealth.eu/soap/directory/v1"));
        assertThat(read.catalogue().size()).isEqualTo(14);
    }

    private List<InputProblem> refusal(byte[] listing) {
        return catchThrowableOfType(InvalidMessageException.class, () -> reader.read(listing))
                .problems();
    }
}
