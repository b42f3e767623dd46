package org.cbhealth.routes.directory.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.cbhealth.routes.directory.model.CatalogueRead;
import org.cbhealth.routes.directory.model.DepartmentRecord;
import org.cbhealth.routes.soap.HardenedXml;
import org.junit.jupiter.api.Test;

/**
 * The page protocol of a poll of a SOAP directory service: the requests it writes, the answers that make a complete
 * listing, and each answer that ends the poll without one, with the message the hub logs.
 */
class DirectoryPollTest {

    private final HardenedXml xml = new HardenedXml();

    @Test
    void shouldAskForTheFirstPageWithoutTokenAndForTheNextWithTheTokenOfThePageBefore() {
        DirectoryPoll poll = new DirectoryPoll(xml, 50, 10);

        DirectoryXml first = DirectoryXml.of(poll.nextRequest());
        poll.take(bytes(DirectoryXml.page("snap-1", 1, 3, 2, "tok-2")), 200);
        DirectoryXml second = DirectoryXml.of(poll.nextRequest());

        first.assertValid("/s11:Envelope/s11:Body/dir:ListDirectory");
        assertThat(first.text("/s11:Envelope/s11:Body/dir:ListDirectory/dir:pageSize"))
                .isEqualTo("50");
        assertThat(first.count("//dir:pageToken")).isZero();
        second.assertValid("/s11:Envelope/s11:Body/dir:ListDirectory");
        assertThat(second.text("/s11:Envelope/s11:Body/dir:ListDirectory/dir:pageToken"))
                .isEqualTo("tok-2");
        assertThat(poll.complete()).isFalse();
    }

    @Test
    void shouldGiveEveryPageInOrderOnceTheLastIsIn() {
        DirectoryPoll poll = new DirectoryPoll(xml, 2, 10);

        poll.take(bytes(DirectoryXml.page("snap-1", 1, 3, 2, "tok-2")), 200);
        poll.take(bytes(DirectoryXml.page("snap-1", 2, 3, 1, null)), 200);

        assertThat(poll.complete()).isTrue();
        assertThat(poll.pages()).isEqualTo(2);
        assertThat(poll.records()).isEqualTo(3);
        DirectoryXml listing = DirectoryXml.of(poll.listing());
        listing.assertValid("/dir:PolledDirectory");
        assertThat(listing.text("/dir:PolledDirectory/dir:ListDirectoryResponse[2]/dir:page"))
                .isEqualTo("2");
        CatalogueRead read = new SoapDirectoryReader().read(poll.listing());
        assertThat(read.refused()).isEmpty();
        assertThat(read.catalogue().departments())
                .extracting(DepartmentRecord::code, DepartmentRecord::position)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "D1-1", "/PolledDirectory/ListDirectoryResponse[1]/department[1]"),
                        org.assertj.core.groups.Tuple.tuple(
                                "D1-2", "/PolledDirectory/ListDirectoryResponse[1]/department[2]"),
                        org.assertj.core.groups.Tuple.tuple(
                                "D2-1", "/PolledDirectory/ListDirectoryResponse[2]/department[1]"));
    }

    @Test
    void shouldEndThePollOnASoapFaultWithItsCodes() {
        DirectoryPoll poll = new DirectoryPoll(xml, 2, 10);
        poll.take(bytes(DirectoryXml.page("snap-1", 1, 3, 2, "tok-2")), 200);
        String fault = DirectoryXml.envelope("<s:Fault xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<faultcode>s:Client</faultcode><faultstring>page token of a snapshot no longer kept</faultstring>"
                + "<detail><d:DirectoryFault xmlns:d=\"https://fhir.cbhealth.eu/soap/directory/v1\">"
                + "<d:code>SnapshotExpired</d:code></d:DirectoryFault></detail></s:Fault>");

        assertThatThrownBy(() -> poll.take(bytes(fault), 500))
                .isInstanceOf(DirectoryPollException.class)
                .hasMessage("page 2: HTTP 500, SOAP Fault s:Client (SnapshotExpired): page token of a snapshot no"
                        + " longer kept");
        assertThat(poll.complete()).isFalse();
        assertThatThrownBy(poll::listing).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldEndThePollOnAnHttpErrorWithoutSoapAnswer() {
        assertThatThrownBy(() -> new DirectoryPoll(xml, 2, 10).take(new byte[0], 503))
                .isInstanceOf(DirectoryPollException.class)
                .hasMessage("page 1: HTTP 503 without a SOAP answer");
        assertThatThrownBy(() -> new DirectoryPoll(xml, 2, 10).take(bytes("Bad gateway"), 502))
                .isInstanceOf(DirectoryPollException.class)
                .hasMessageStartingWith("page 1: HTTP 502, the answer is not well-formed XML (XML refused: line 1,");
        assertThatThrownBy(() -> new DirectoryPoll(xml, 2, 10).take(bytes("<html><body>Busy</body></html>"), 503))
                .isInstanceOf(DirectoryPollException.class)
                .hasMessage("page 1: HTTP 503, the answer is not a SOAP envelope but {}html");
    }

    @Test
    void shouldEndThePollWhenTheDirectoryChangedWhileItWasRead() {
        DirectoryPoll poll = new DirectoryPoll(xml, 2, 10);
        poll.take(bytes(DirectoryXml.page("snap-1", 1, 3, 2, "tok-2")), 200);

        assertThatThrownBy(() -> poll.take(bytes(DirectoryXml.page("snap-2", 2, 3, 1, null)), 200))
                .isInstanceOf(DirectoryPollException.class)
                .hasMessage("page 2: of another snapshot than page 1; the directory changed while it was read");
    }

    @Test
    void shouldEndThePollWhenTheServiceRepeatsATokenOrPagesBeyondTheLimit() {
        DirectoryPoll looping = new DirectoryPoll(xml, 1, 10);
        looping.take(bytes(DirectoryXml.page("snap-1", 1, 5, 1, "tok-2")), 200);
        DirectoryPoll endless = new DirectoryPoll(xml, 1, 2);
        endless.take(bytes(DirectoryXml.page("snap-1", 1, 5, 1, "tok-2")), 200);

        assertThatThrownBy(() -> looping.take(bytes(DirectoryXml.page("snap-1", 2, 5, 1, "tok-2")), 200))
                .isInstanceOf(DirectoryPollException.class)
                .hasMessage("page 2: repeats the page token of an earlier page");
        assertThatThrownBy(() -> endless.take(bytes(DirectoryXml.page("snap-1", 2, 5, 1, "tok-3")), 200))
                .isInstanceOf(DirectoryPollException.class)
                .hasMessage("page 2: more pages follow, beyond the limit of 2 pages per poll");
    }

    @Test
    void shouldEndThePollWhenPagesAreMisnumberedOrDoNotAddUp() {
        DirectoryPoll misnumbered = new DirectoryPoll(xml, 2, 10);
        DirectoryPoll short1 = new DirectoryPoll(xml, 2, 10);
        short1.take(bytes(DirectoryXml.page("snap-1", 1, 4, 2, "tok-2")), 200);

        assertThatThrownBy(() -> misnumbered.take(bytes(DirectoryXml.page("snap-1", 2, 4, 2, "tok-3")), 200))
                .isInstanceOf(DirectoryPollException.class)
                .hasMessage("page 1: the service numbered it 2");
        assertThatThrownBy(() -> short1.take(bytes(DirectoryXml.page("snap-1", 2, 4, 1, null)), 200))
                .isInstanceOf(DirectoryPollException.class)
                .hasMessage("the pages do not add up: 3 records in 2 pages, the service announced 4");
    }

    @Test
    void shouldEndThePollOnAnAnswerOfAnotherOperationOrWithoutItsHeader() {
        String other = DirectoryXml.envelope("<x:Hello xmlns:x=\"urn:x\"/>");
        String headless =
                DirectoryXml.envelope("<d:ListDirectoryResponse xmlns:d=\"https://fhir.cbhealth.eu/soap/directory/v1\">"
                        + "<d:page>one</d:page></d:ListDirectoryResponse>");

        assertThatThrownBy(() -> new DirectoryPoll(xml, 2, 10).take(bytes(other), 200))
                .isInstanceOf(DirectoryPollException.class)
                .hasMessage("page 1: expected {https://fhir.cbhealth.eu/soap/directory/v1}ListDirectoryResponse, not"
                        + " {urn:x}Hello");
        assertThatThrownBy(() -> new DirectoryPoll(xml, 2, 10).take(bytes(headless), 200))
                .isInstanceOf(DirectoryPollException.class)
                .hasMessage("page 1: /ListDirectoryResponse/snapshot: required; /ListDirectoryResponse/page: 'one' is"
                        + " not a whole number; /ListDirectoryResponse/totalRecords: required");
    }

    @Test
    void shouldRefuseADoctypeInAnAnswer() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + DirectoryXml.page("&x;", 1, 0, 0, null);

        assertThatThrownBy(() -> new DirectoryPoll(xml, 2, 10).take(bytes(xxe), 200))
                .isInstanceOf(DirectoryPollException.class)
                .hasMessageContaining("a document type declaration (DOCTYPE) is not accepted");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
