package org.cbhealth.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.junit.jupiter.api.Test;

/**
 * The published JSON Schema of status updates and {@link ReferralStatusJsonReader} describe the same fields and
 * accept the same values. No JSON Schema validator is on the build's classpath, so the schema's own patterns are
 * tried (with java.util.regex, which reads these ECMA-262 patterns the same way) on the values the reader accepts
 * and refuses.
 */
class ReferralStatusSchemaTest {

    private final ReferralStatusJsonReader reader = new ReferralStatusJsonReader();

    @Test
    void schemaDocumentsExactlyTheFieldsTheReaderAccepts() throws IOException {
        JsonNode schema = schema();

        assertThat(names(schema.get("properties")))
                .isEqualTo(components(ReferralStatusJsonReader.StatusMessage.class))
                .containsExactly("referral", "placer", "status", "reason", "scheduledStart", "note", "outcome");
        assertThat(names(schema.at("/properties/placer/properties")))
                .isEqualTo(components(ReferralStatusJsonReader.Placer.class))
                .containsExactly("partner", "value");
        assertThat(names(schema.at("/properties/outcome/properties")))
                .isEqualTo(components(ReferralStatusJsonReader.OutcomeDocument.class))
                .containsExactly("title", "contentType", "data", "url");
        assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
        assertThat(schema.at("/properties/placer/additionalProperties").asBoolean())
                .isFalse();
        assertThat(schema.at("/properties/outcome/additionalProperties").asBoolean())
                .isFalse();
    }

    @Test
    void schemaRequiresWhatTheReaderRequires() throws IOException {
        JsonNode schema = schema();

        assertThat(texts(schema.get("required"))).containsExactly("status");
        assertThat(texts(schema.at("/properties/status/enum")))
                .containsExactly("received", "accepted", "declined", "scheduled", "completed", "cancelled");
        assertThat(texts(schema.at("/properties/placer/required"))).containsExactly("partner", "value");
        assertThat(texts(schema.at("/oneOf/0/required"))).containsExactly("referral");
        assertThat(texts(schema.at("/oneOf/1/required"))).containsExactly("placer");
        assertThat(texts(schema.at("/allOf/0/if/properties/status/enum"))).containsExactly("declined", "cancelled");
        assertThat(texts(schema.at("/allOf/0/then/required"))).containsExactly("reason");
        assertThat(schema.at("/allOf/1/if/properties/status/const").asText()).isEqualTo("scheduled");
        assertThat(texts(schema.at("/allOf/1/then/required"))).containsExactly("scheduledStart");
        assertThat(texts(schema.at("/properties/outcome/oneOf/0/required"))).containsExactly("data", "contentType");
        assertThat(texts(schema.at("/properties/outcome/oneOf/1/required"))).containsExactly("url");
    }

    @Test
    void schemaPatternsAcceptAndRefuseWhatTheReaderDoes() throws IOException {
        JsonNode schema = schema();

        agree(schema, "/properties/referral/pattern", "42", true, "{\"referral\": \"%s\", \"status\": \"received\"}");
        agree(
                schema,
                "/properties/referral/pattern",
                "42 43",
                false,
                "{\"referral\": \"%s\", \"status\": \"received\"}");
        String placer = "{\"placer\": {\"partner\": \"%s\", \"value\": \"BG-1\"}, \"status\": \"received\"}";
        agree(schema, "/properties/placer/properties/partner/pattern", "bg-mbal-blagoevgrad", true, placer);
        agree(schema, "/properties/placer/properties/partner/pattern", "BG Blagoevgrad", false, placer);
        String scheduled = "{\"referral\": \"42\", \"status\": \"scheduled\", \"scheduledStart\": \"%s\"}";
        agree(schema, "/properties/scheduledStart/pattern", "2026-12-03T09:00:00+01:00", true, scheduled);
        agree(schema, "/properties/scheduledStart/pattern", "2026-12-03T08:00:00Z", true, scheduled);
        agree(schema, "/properties/scheduledStart/pattern", "2026-12-03T09:00:00", false, scheduled);
        String data = "{\"referral\": \"42\", \"status\": \"completed\", \"outcome\": {\"contentType\": \"%s\","
                + " \"data\": \"JVBERi0xLjQK\"}}";
        agree(schema, "/properties/outcome/properties/contentType/pattern", "application/pdf", true, data);
        agree(schema, "/properties/outcome/properties/contentType/pattern", "text/plain; charset=UTF-8", true, data);
        agree(schema, "/properties/outcome/properties/contentType/pattern", "pdf", false, data);
        String url = "{\"referral\": \"42\", \"status\": \"completed\", \"outcome\": {\"url\": \"%s\"}}";
        agree(schema, "/properties/outcome/properties/url/pattern", "https://docs.example/42.pdf", true, url);
        agree(schema, "/properties/outcome/properties/url/pattern", "http://docs.example/42.pdf", false, url);
    }

    /** The schema's pattern at {@code pointer} and the reader give the same verdict on {@code value}. */
    private void agree(JsonNode schema, String pointer, String value, boolean accepted, String template) {
        String pattern = schema.at(pointer).asText();
        assertThat(pattern).as(pointer).isNotEmpty();
        assertThat(Pattern.compile(pattern).matcher(value).find())
                .as("schema %s on '%s'", pointer, value)
                .isEqualTo(accepted);
        InvalidMessageException refused =
                catchThrowableOfType(InvalidMessageException.class, () -> reader.read(template.formatted(value)));
        assertThat(refused == null).as("reader on '%s'", value).isEqualTo(accepted);
    }

    private static JsonNode schema() throws IOException {
        try (InputStream in =
                ReferralStatusSchemaTest.class.getResourceAsStream("/schemas/referral-status-update.schema.json")) {
            assertThat(in).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<String> names(JsonNode properties) {
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static List<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName)
                .toList();
    }
}
