package org.cbhealth.routes.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class HardenedXmlTest {

    private static final String DOCTYPE_REFUSED =
            "a document type declaration (DOCTYPE) is not accepted: entities are never declared, expanded or fetched";

    private final HardenedXml xml = new HardenedXml();

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAnExternalEntityWithoutReadingTheFile() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-MARKER");
        String xxe =
                "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n<r>&x;</r>";

        InvalidMessageException refused = refused(xxe);

        assertThat(refused.problems()).hasSize(1);
        assertThat(refused.problems().get(0).location()).startsWith("line 2, column ");
        assertThat(refused.problems().get(0).reason()).isEqualTo(DOCTYPE_REFUSED);
        assertThat(refused.getMessage()).doesNotContain("TOP-SECRET-MARKER");
    }

    @Test
    void shouldNeverFetchAnExternalDtdOrParameterEntity() {
        try (SoapXml.CountingServer server = new SoapXml.CountingServer()) {
            refused("<!DOCTYPE r SYSTEM \"" + server.url("/r.dtd") + "\"><r/>");
            refused("<!DOCTYPE r [<!ENTITY % p SYSTEM \"" + server.url("/p.dtd") + "\"> %p;]><r/>");

            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void shouldRefuseEntityExpansionBombsAsDoctypes() {
        String laughs = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
                + "<lolz>&lol2;</lolz>";

        assertThat(refused(laughs).problems()).extracting(InputProblem::reason).containsExactly(DOCTYPE_REFUSED);
    }

    @Test
    void shouldRefuseDeepNestingWithThePositionOfTheFirstElementTooDeep() {
        String deep = "<a>".repeat(65) + "</a>".repeat(65);

        assertThat(refused(deep).problems())
                .containsExactly(new InputProblem(
                        "line 1, column 196", "elements nested deeper than 64 levels are not accepted"));
    }

    @Test
    void shouldAcceptNestingUpToTheLimit() {
        Document document = xml.parse(("<a>".repeat(64) + "</a>".repeat(64)).getBytes(StandardCharsets.UTF_8));

        assertThat(document.getElementsByTagName("a").getLength()).isEqualTo(64);
    }

    @Test
    void shouldNotResolveXInclude() {
        try (SoapXml.CountingServer server = new SoapXml.CountingServer()) {
            Document document = xml.parse(("<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\""
                            + server.url("/included.xml") + "\"/></r>")
                    .getBytes(StandardCharsets.UTF_8));

            assertThat(document.getDocumentElement().getFirstChild().getLocalName())
                    .isEqualTo("include");
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void shouldRefuseXmlThatIsNotWellFormedWithLineAndColumn() {
        InvalidMessageException refused = refused("<r>\n  <a></b>\n</r>");

        assertThat(refused.problems()).hasSize(1);
        assertThat(refused.problems().get(0).location()).isEqualTo("line 2, column 8");
        assertThat(refused.problems().get(0).reason())
                .startsWith("not well-formed XML: ")
                .contains("\"a\"");
    }

    @Test
    void shouldReadTheDeclaredEncoding() {
        byte[] cp1251 = "<?xml version=\"1.0\" encoding=\"windows-1251\"?><r>Благоевград</r>"
                .getBytes(java.nio.charset.Charset.forName("windows-1251"));

        assertThat(xml.parse(cp1251).getDocumentElement().getTextContent()).isEqualTo("Благоевград");
    }

    private InvalidMessageException refused(String text) {
        InvalidMessageException refused = catchThrowableOfType(
                InvalidMessageException.class, () -> xml.parse(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(refused).as("refusal of " + text).isNotNull();
        return refused;
    }
}
