package org.cbhealth.routes.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FhirInputLimitsTest {

    private final FhirInputLimits limits = new FhirInputLimits(10, 20, 8, 2);

    @Test
    void shouldAcceptResourceWithinEveryLimit() {
        assertThatCode(() -> limits.check(bytes("{\"resourceType\":\"Bundle\",\"entry\":[{},{}],\"total\":12345678}")))
                .doesNotThrowAnyException();
        assertThatCode(() -> limits.check(bytes("<Bundle xmlns=\"http://hl7.org/fhir\"><entry/><entry/></Bundle>")))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseJsonNestedTooDeeplyWithLineAndColumn() {
        InvalidMessageException refused = refused("{\"a\":" + "[".repeat(12) + "]".repeat(12) + "}");

        assertThat(refused).isInstanceOf(FhirInputLimits.LimitExceededException.class);
        assertThat(refused.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo("line 1, column 16");
            assertThat(p.reason()).isEqualTo("nested deeper than 10 levels");
        });
    }

    @Test
    void shouldRefuseJsonStringAndNumberTooLong() {
        assertThat(refused("{\"name\":\"" + "x".repeat(21) + "\"}")
                        .problems()
                        .get(0)
                        .reason())
                .isEqualTo("a string longer than 20 characters");
        assertThat(refused("{\"value\":123456789}").problems().get(0).reason())
                .isEqualTo("a number longer than 8 characters");
    }

    @Test
    void shouldRefuseBundleWithTooManyEntriesNamingBundleEntry() {
        InvalidMessageException refused = refused("{\"resourceType\":\"Bundle\",\"entry\":[{},{},{}]}");

        assertThat(refused.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo("Bundle.entry");
            assertThat(p.reason()).isEqualTo("more than 2 entries (at line 1, column 41); split the Bundle");
        });
        assertThat(refused("<Bundle xmlns=\"http://hl7.org/fhir\"><entry/><entry/><entry/></Bundle>")
                        .problems()
                        .get(0)
                        .location())
                .isEqualTo("Bundle.entry");
    }

    @Test
    void shouldRefuseXmlDoctypeDeepNestingAndLongText() {
        InvalidMessageException doctype = refused(
                "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"http://127.0.0.1:1/x\">]>\n<Patient/>");
        assertThat(doctype).isNotInstanceOf(FhirInputLimits.LimitExceededException.class);
        assertThat(doctype.problems().get(0).reason()).isEqualTo(FhirInputLimits.DOCTYPE_REFUSED);

        assertThat(refused("<a>" + "<b>".repeat(10) + "</b>".repeat(10) + "</a>")
                        .problems()
                        .get(0))
                .hasToString("line 1, column 34: nested deeper than 10 levels");
        assertThat(refused("<Patient><id value=\"" + "1".repeat(21) + "\"/></Patient>")
                        .problems()
                        .get(0)
                        .reason())
                .isEqualTo("a string longer than 20 characters");
    }

    @Test
    void shouldLeaveMalformedTextToTheFhirParser() {
        assertThatCode(() -> limits.check(bytes("{\"resourceType\": "))).doesNotThrowAnyException();
        assertThatCode(() -> limits.check(bytes("<Patient>"))).doesNotThrowAnyException();
        assertThatCode(() -> limits.check(bytes("MSH|^~\\&|"))).doesNotThrowAnyException();
    }

    private InvalidMessageException refused(String text) {
        return catchThrowableOfType(InvalidMessageException.class, () -> limits.check(bytes(text)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
