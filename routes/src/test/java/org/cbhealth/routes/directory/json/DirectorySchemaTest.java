package org.cbhealth.routes.directory.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published JSON Schema and the reader's binding describe the same fields. */
class DirectorySchemaTest {

    @Test
    void schemaDocumentsExactlyTheFieldsTheReaderBinds() throws IOException {
        JsonNode schema = schema();

        assertThat(names(schema.get("properties"))).isEqualTo(components(DirectoryJson.Document.class));
        assertThat(names(schema.at("/$defs/site/properties"))).isEqualTo(components(DirectoryJson.Site.class));
        assertThat(names(schema.at("/$defs/site/properties/address/properties")))
                .isEqualTo(components(DirectoryJson.Address.class));
        assertThat(names(schema.at("/$defs/site/properties/geo/properties")))
                .isEqualTo(components(DirectoryJson.Geo.class));
        assertThat(names(schema.at("/$defs/department/properties")))
                .isEqualTo(components(DirectoryJson.Department.class));
        assertThat(names(schema.at("/$defs/practitioner/properties")))
                .isEqualTo(components(DirectoryJson.Practitioner.class));
        assertThat(names(schema.at("/$defs/practitioner/properties/qualifications/items/properties")))
                .isEqualTo(components(DirectoryJson.Qualification.class));
        assertThat(names(schema.at("/$defs/personName/properties")))
                .isEqualTo(components(DirectoryJson.PersonName.class));
        assertThat(names(schema.at("/$defs/role/properties"))).isEqualTo(components(DirectoryJson.Role.class));
        assertThat(names(schema.at("/$defs/endpoint/properties"))).isEqualTo(components(DirectoryJson.Endpoint.class));
        assertThat(names(schema.at("/$defs/endpoint/properties/payloadTypes/items/properties")))
                .isEqualTo(components(DirectoryJson.Coding.class));
        assertThat(names(schema.at("/$defs/affiliation/properties")))
                .isEqualTo(components(DirectoryJson.Affiliation.class));
        assertThat(names(schema.at("/$defs/affiliation/properties/partner/properties")))
                .isEqualTo(components(DirectoryJson.OrganizationIdentifier.class));
        assertThat(names(schema.at("/$defs/telecom/items/properties")))
                .isEqualTo(components(DirectoryJson.Telecom.class));
    }

    @Test
    void schemaDeclaresDraft2020AndRefusesUnknownFieldsInEveryObject() throws IOException {
        JsonNode schema = schema();

        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        List<String> open = new ArrayList<>();
        collectOpenObjects(schema, "", open);
        assertThat(open).isEmpty();
    }

    /** Every object schema with properties must say additionalProperties: false. */
    private static void collectOpenObjects(JsonNode node, String at, List<String> open) {
        if (node.isObject()) {
            if (node.has("properties") && !node.path("additionalProperties").isBoolean()) {
                open.add(at);
            }
            node.fields().forEachRemaining(e -> collectOpenObjects(e.getValue(), at + "/" + e.getKey(), open));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectOpenObjects(node.get(i), at + "/" + i, open);
            }
        }
    }

    private static JsonNode schema() throws IOException {
        try (InputStream in = DirectorySchemaTest.class.getResourceAsStream(DirectoryJsonReader.SCHEMA)) {
            assertThat(in).as(DirectoryJsonReader.SCHEMA).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<String> names(JsonNode properties) {
        assertThat(properties.isObject()).as("properties object").isTrue();
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName)
                .toList();
    }
}
