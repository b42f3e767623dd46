package org.cbhealth.routes.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;

class FhirResourceReaderTest {

    private final FhirResourceReader reader = new FhirResourceReader(FhirContext.forR4Cached());

    @Test
    void shouldReadJsonResourceKeepingCyrillicText() {
        Organization org = (Organization)
                reader.read("  {\"resourceType\":\"Organization\",\"name\":\"МБАЛ Благоевград\",\"active\":true}");

        assertThat(org.getName()).isEqualTo("МБАЛ Благоевград");
        assertThat(org.getActive()).isTrue();
    }

    @Test
    void shouldReadXmlResource() {
        Organization org = (Organization) reader.read(
                "<Organization xmlns=\"http://hl7.org/fhir\"><name value=\"Klinikum Klagenfurt\"/></Organization>");

        assertThat(org.getName()).isEqualTo("Klinikum Klagenfurt");
    }

    @Test
    void shouldRefuseUnknownElementNamingIt() {
        assertThatThrownBy(() -> reader.read("{\"resourceType\":\"Organization\",\"nmae\":\"x\"}"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("Not a valid FHIR R4 resource")
                .hasMessageContaining("nmae");
    }

    @Test
    void shouldRefuseWrongValueTypeNamingTheElement() {
        assertThatThrownBy(() -> reader.read("{\"resourceType\":\"Organization\",\"active\":\"yes\"}"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("active");
    }

    @Test
    void shouldRefuseTruncatedJson() {
        assertThatThrownBy(() -> reader.read("{\"resourceType\":\"Organization\",\"name\":\"Šti"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageStartingWith("Not a valid FHIR R4 resource");
    }

    @Test
    void shouldRefuseTextThatIsNeitherJsonNorXml() {
        assertThatThrownBy(() -> reader.read("MSH|^~\\&|BG-MBAL"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("Unrecognised content: a FHIR resource must start with '{' (JSON) or '<' (XML), found 'M'");
    }

    @Test
    void shouldRefuseEmptyMessage() {
        assertThatThrownBy(() -> reader.read("  \n"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("Empty message: expected a FHIR resource in JSON or XML");
    }
}
