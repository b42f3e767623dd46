package org.cbhealth.hub.partner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cbhealth.hub.support.DemoPartners;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartnerDirectoryTest {

    private static PartnerDirectory directory;

    @TempDir
    Path dir;

    @BeforeAll
    static void knownConceptMaps() {
        directory = new PartnerDirectory(ConfigCheckCommand.knownConceptMaps());
    }

    @Test
    void shouldAcceptEveryDemoPartner() throws IOException {
        DemoPartners.copyTo(dir);

        PartnerDirectory.Check check = directory.check(dir);

        assertThat(check.problems()).isEmpty();
        assertThat(check.partners().keySet())
                .containsExactly(
                        "at-klinikum-klagenfurt",
                        "bg-mbal-blagoevgrad",
                        "mk-kb-stip",
                        "pl-usk-rzeszow",
                        "si-ukc-maribor",
                        "ua-lviv-regional-hospital");
        PartnerDefinition blagoevgrad = check.partners().get("bg-mbal-blagoevgrad");
        assertThat(blagoevgrad.inbound())
                .extracting(PartnerDefinition.InboundChannel::kind)
                .containsExactly(PartnerDefinition.ChannelKind.FILE, PartnerDefinition.ChannelKind.MLLP);
        assertThat(blagoevgrad.names()).containsEntry("bg", "МБАЛ „Благоевград“ АД");
        assertThat(blagoevgrad.credentials().env()).isEqualTo("CBHEALTH_PARTNER_BG_MBAL_BLAGOEVGRAD_SECRET");
    }

    @Test
    void shouldRejectAnUnknownChannelKindAndKeepTheOtherPartners() throws IOException {
        DemoPartners.copyTo(dir);
        write(
                "lt-klaipeda.yaml",
                partner(
                        "lt-klaipeda",
                        """
                inbound:
                  - name: exports
                    kind: ftp
                    format: csv
                    flow: directory
                """));

        PartnerDirectory.Check check = directory.check(dir);

        assertThat(check.problems())
                .extracting(ConfigProblem::toString)
                .containsExactly("lt-klaipeda.yaml: inbound[0].kind: unknown kind 'ftp'; one of rest, jms, mllp, soap,"
                        + " file, fhir-poll, soap-poll");
        assertThat(check.partners()).hasSize(6).doesNotContainKey("lt-klaipeda");
    }

    @Test
    void shouldRejectAMissingId() throws IOException {
        write("ee-tartu.yaml", partner(null, ""));

        assertThat(problems()).containsExactly("ee-tartu.yaml: id: required");
    }

    @Test
    void shouldRejectAnIdThatIsNotTheFileName() throws IOException {
        write("ee-tartu.yaml", partner("ee-parnu", ""));

        assertThat(problems()).containsExactly("ee-tartu.yaml: id: 'ee-parnu' must equal the file name 'ee-tartu'");
    }

    @Test
    void shouldRejectADuplicateId() throws IOException {
        write("ee-tartu.yaml", partner("ee-tartu", ""));
        write("ee-tartu.yml", partner("ee-tartu", ""));

        assertThat(problems())
                .containsExactly("ee-tartu.yml: id: duplicate partner id 'ee-tartu', already in ee-tartu.yaml");
    }

    @Test
    void shouldRejectBadUris() throws IOException {
        write(
                "lv-riga.yaml",
                partner(
                        "lv-riga",
                        """
                inbound:
                  - name: directory-sync
                    kind: fhir-poll
                    format: fhir
                    flow: directory
                    settings:
                      baseUrl: "https://fhir.riga example/r4"
                      interval: 15m
                outbound:
                  kind: fhir-rest
                  settings:
                    baseUrl: ftp://fhir.riga.example/r4
                codeMappings:
                  - bg-nhif-specialty-to-cbh
                """));

        assertThat(problems())
                .containsExactly(
                        "lv-riga.yaml: inbound[0].settings.baseUrl: 'https://fhir.riga example/r4' is not a valid URI:"
                                + " Illegal character in authority",
                        "lv-riga.yaml: outbound.settings.baseUrl: 'ftp://fhir.riga.example/r4' must be an absolute"
                                + " http(s) URL",
                        "lv-riga.yaml: codeMappings[0]: 'bg-nhif-specialty-to-cbh' must be an absolute URI");
    }

    @Test
    void shouldRejectLiteralSecretsAndMissingKindSettings() throws IOException {
        write(
                "lt-vilnius.yaml",
                """
                id: lt-vilnius
                names: {lt: Vilniaus universiteto ligoninė Santaros klinikos}
                country: LT
                identifiers:
                  - {system: "https://fhir.cbhealth.eu/sid/registry/lt-jar", value: "124364561"}
                credentials:
                  password: hunter2
                inbound:
                  - {name: referrals, kind: mllp, format: json, flow: referral}
                  - {name: referrals, kind: jms, format: fhir, flow: referral, settings: {queue: "a queue"}}
                """);

        assertThat(problems())
                .containsExactly(
                        "lt-vilnius.yaml: credentials.password: a secret must not be written in a partner file:"
                                + " reference an environment variable (env) or a secret file (file)",
                        "lt-vilnius.yaml: credentials: give exactly one of env (an environment variable) or file (a"
                                + " secret file)",
                        "lt-vilnius.yaml: inbound[0].settings.port: required",
                        "lt-vilnius.yaml: inbound[0].format: an mllp channel carries hl7v2, not json",
                        "lt-vilnius.yaml: inbound[1].name: duplicate channel name 'referrals'",
                        "lt-vilnius.yaml: inbound[1].settings.queue: 'a queue' is not a valid queue name");
    }

    @Test
    void shouldAcceptSoapChannelsOfTheReferralServiceOnly() throws IOException {
        write(
                "ee-tartu.yaml",
                partner(
                        "ee-tartu",
                        """
                inbound:
                  - {name: referrals, kind: soap, format: xml, flow: referral}
                  - {name: status, kind: soap, format: xml, flow: referral-status}
                """));
        write(
                "ee-parnu.yaml",
                partner(
                        "ee-parnu",
                        """
                inbound:
                  - {name: referrals, kind: soap, format: json, flow: referral}
                  - {name: departments, kind: soap, format: xml, flow: directory}
                """));

        assertThat(problems())
                .containsExactly(
                        "ee-parnu.yaml: inbound[0].format: a soap channel carries xml, not json",
                        "ee-parnu.yaml: inbound[1].flow: a soap channel is the hub's referral service"
                                + " (referral-service.wsdl): flow referral or referral-status; a partner's SOAP"
                                + " directory service is read with kind soap-poll");
        assertThat(directory.check(dir).partners().get("ee-tartu").inbound())
                .extracting(PartnerDefinition.InboundChannel::kind)
                .containsOnly(PartnerDefinition.ChannelKind.SOAP);
    }

    @Test
    void shouldAcceptASoapPollChannelOfADirectoryService() throws IOException {
        write(
                "ee-tartu.yaml",
                partner(
                        "ee-tartu",
                        """
                inbound:
                  - name: directory
                    kind: soap-poll
                    format: xml
                    flow: directory
                    settings:
                      address: https://his.kliinikum.example/directory-service
                      interval: 30m
                      pageSize: 250
                      maxPages: 40
                      connectTimeout: 5s
                      receiveTimeout: PT2M
                """));

        PartnerDirectory.Check check = directory.check(dir);

        assertThat(check.problems()).isEmpty();
        PartnerDefinition.InboundChannel channel =
                check.partners().get("ee-tartu").inbound().get(0);
        assertThat(channel.kind()).isEqualTo(PartnerDefinition.ChannelKind.SOAP_POLL);
        assertThat(channel.settings())
                .containsEntry("address", "https://his.kliinikum.example/directory-service")
                .containsEntry("pageSize", 250);
    }

    @Test
    void shouldRejectEveryBadSettingOfASoapPollChannel() throws IOException {
        write(
                "ee-tartu.yaml",
                partner(
                        "ee-tartu",
                        """
                inbound:
                  - name: directory
                    kind: soap-poll
                    format: json
                    flow: referral
                    settings:
                      interval: soon
                      pageSize: 0
                      maxPages: many
                      receiveTimeout: 0s
                      wsdl: https://his.kliinikum.example/directory-service?wsdl
                  - name: directory-fast
                    kind: soap-poll
                    format: xml
                    flow: directory
                    settings:
                      address: https://his.kliinikum.example/directory-service?tenant=7
                      interval: 200ms
                  - name: directory-ftp
                    kind: soap-poll
                    format: xml
                    flow: directory
                    settings:
                      address: ftp://his.kliinikum.example/directory
                """));

        assertThat(problems())
                .containsExactly(
                        "ee-tartu.yaml: inbound[0].settings.wsdl: unknown key; allowed: address, connectTimeout,"
                                + " interval, maxPages, pageSize, receiveTimeout",
                        "ee-tartu.yaml: inbound[0].settings.address: required",
                        "ee-tartu.yaml: inbound[0].settings.interval: 'soon' is not a duration; e.g. 15m, 30s, 500ms"
                                + " or PT15M",
                        "ee-tartu.yaml: inbound[0].settings.receiveTimeout: '0s' is shorter than 1ms",
                        "ee-tartu.yaml: inbound[0].settings.pageSize: '0' must be a whole number from 1 to 1000",
                        "ee-tartu.yaml: inbound[0].settings.maxPages: 'many' must be a whole number from 1 to 100000",
                        "ee-tartu.yaml: inbound[0].format: a soap-poll channel carries xml, not json",
                        "ee-tartu.yaml: inbound[0].flow: a soap-poll channel reads a partner's directory service"
                                + " (directory-service.wsdl): flow directory, not referral",
                        "ee-tartu.yaml: inbound[1].settings.address: 'https://his.kliinikum.example/directory-service"
                                + "?tenant=7' must not have a query or fragment",
                        "ee-tartu.yaml: inbound[1].settings.interval: '200ms' is shorter than 1s",
                        "ee-tartu.yaml: inbound[2].settings.address: 'ftp://his.kliinikum.example/directory' must be"
                                + " an absolute http(s) URL");
    }

    @Test
    void shouldCheckEverySettingOfAFhirPollChannel() throws IOException {
        write(
                "si-celje.yaml",
                partner(
                        "si-celje",
                        """
                inbound:
                  - name: sync
                    kind: fhir-poll
                    format: fhir
                    flow: directory
                    settings: {baseUrl: "https://fhir.sb-celje.example/r4", interval: 10m, resourceTypes: [Location],
                               pageSize: 200, maxPages: 50, connectTimeout: 5s, readTimeout: 2m, overlap: 30s}
                  - name: bad-interval
                    kind: fhir-poll
                    format: fhir
                    flow: directory
                    settings: {baseUrl: "https://fhir.sb-celje.example/r4", interval: every hour}
                  - name: patients
                    kind: fhir-poll
                    format: fhir
                    flow: referral
                    settings: {baseUrl: "https://fhir.sb-celje.example/r4", interval: 1h, resourceTypes: Patient}
                  - name: typo
                    kind: fhir-poll
                    format: fhir
                    flow: directory
                    settings: {baseUrl: "https://fhir.sb-celje.example/r4", interval: 1h, page-size: 20}
                """));

        assertThat(problems())
                .containsExactly(
                        "si-celje.yaml: inbound[1].settings.interval: 'every hour' is not a duration; write e.g."
                                + " 500ms, 30s, 15m, 1h, 1h30m or PT15M",
                        "si-celje.yaml: inbound[2].settings.resourceTypes: 'Patient' is not a directory resource"
                                + " type; one of Organization, Endpoint, Location, HealthcareService, Practitioner,"
                                + " PractitionerRole, OrganizationAffiliation",
                        "si-celje.yaml: inbound[2].flow: a fhir-poll channel reads a partner's directory: flow"
                                + " directory",
                        "si-celje.yaml: inbound[3].settings.page-size: unknown setting of a fhir-poll channel; one of"
                                + " baseUrl, connectTimeout, interval, maxPages, overlap, pageSize, readTimeout,"
                                + " resourceTypes");
    }

    @Test
    void shouldWarnAboutReferralPartnersOutsideTheDirectoryWithoutRefusingTheFile() throws IOException {
        write("ee-tartu.yaml", partner("ee-tartu", "referralPartners: [fi-hus]\n"));

        PartnerDirectory.Check check = directory.check(dir);

        assertThat(check.problems()).isEmpty();
        assertThat(check.partners()).containsKey("ee-tartu");
        assertThat(check.warnings())
                .extracting(ConfigProblem::toString)
                .containsExactly("ee-tartu.yaml: referralPartners[0]: no partner 'fi-hus' in this directory; referrals"
                        + " with it are refused until it is configured");
    }

    @Test
    void shouldRefuseALaterFileClaimingAPortQueueOrInboxAlreadyClaimed() throws IOException {
        write("a-first.yaml", partner("a-first", mllpAndJms(2590, "partner.shared")));
        write("b-second.yaml", partner("b-second", mllpAndJms(2590, "partner.shared")));

        assertThat(problems())
                .containsExactly(
                        "b-second.yaml: inbound[0].settings: MLLP port 2590 is already used by a-first.yaml inbound[0]",
                        "b-second.yaml: inbound[1].settings: queue 'partner.shared' is already used by a-first.yaml"
                                + " inbound[1]");
        assertThat(directory.check(dir).partners()).containsOnlyKeys("a-first");
    }

    @Test
    void shouldRefuseTheHubsOwnQueuesAndIncompleteCsvLayouts() throws IOException {
        write(
                "ee-tartu.yaml",
                partner(
                        "ee-tartu",
                        """
                inbound:
                  - name: push
                    kind: jms
                    format: fhir
                    flow: directory
                    settings: {queue: hub.parked}
                  - name: export
                    kind: file
                    format: csv
                    flow: directory
                    settings:
                      directory: inbox/ee-tartu
                      columns: {department-name: Osakond, ward: Palat}
                """));

        assertThat(problems())
                .containsExactly(
                        "ee-tartu.yaml: inbound[0].settings.queue: 'hub.parked': names starting with 'hub.' are the"
                                + " hub's own queues",
                        "ee-tartu.yaml: inbound[1].settings.columns.ward: unknown field; one of department-code,"
                                + " department-name, specialty-code, specialty-text, head-name, head-id, phone, email,"
                                + " languages, accepts-cross-border");
    }

    private static String mllpAndJms(int port, String queue) {
        return """
                inbound:
                  - {name: referrals, kind: mllp, format: hl7v2, flow: referral, settings: {port: %d}}
                  - {name: push, kind: jms, format: fhir, flow: directory, settings: {queue: %s}}
                """
                .formatted(port, queue);
    }

    @Test
    void shouldRejectYamlThatIsNotAMapping() throws IOException {
        write("broken.yaml", "- just\n- a list\n");

        assertThat(problems()).containsExactly("broken.yaml: (file): must be a YAML mapping with the partner's fields");
    }

    @Test
    void offlineCheckPrintsTheSameMessagesAndExitsNonZero() throws IOException {
        DemoPartners.copyTo(dir);
        write("ee-tartu.yaml", partner(null, ""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = ConfigCheckCommand.run(dir, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("ee-tartu.yaml: id: required", "6 partner file(s) good, 1 problem(s), 0 warning(s)");
    }

    @Test
    void offlineCheckOfTheDemoPartnersExitsZero() throws IOException {
        DemoPartners.copyTo(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = ConfigCheckCommand.run(dir, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("6 partner file(s) good, 0 problem(s), 0 warning(s)" + System.lineSeparator());
    }

    private List<String> problems() {
        return directory.check(dir).problems().stream()
                .map(ConfigProblem::toString)
                .toList();
    }

    /** A minimal valid partner with the given id (none when null), plus extra YAML. */
    private static String partner(String id, String extra) {
        return (id == null ? "" : "id: " + id + "\n")
                + """
                names: {et: Tartu Ülikooli Kliinikum}
                country: EE
                identifiers:
                  - {system: "https://fhir.cbhealth.eu/sid/registry/ee-ariregister", value: "90003217"}
                credentials: {env: CBHEALTH_PARTNER_SECRET}
                """
                + extra;
    }

    private void write(String file, String yaml) throws IOException {
        Files.writeString(dir.resolve(file), yaml, StandardCharsets.UTF_8);
    }
}
