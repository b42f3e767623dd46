package org.cbhealth.routes.referral;

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

/** The published JSON Schema and the reader's model describe the same fields. */
class TreatmentAbroadSchemaTest {

    @Test
    void schemaDocumentsExactlyTheFieldsTheReaderAccepts() throws IOException {
        JsonNode schema = schema();

        assertThat(names(schema.get("properties"))).isEqualTo(components(TreatmentAbroadApplication.class));
        assertThat(names(schema.at("/properties/patient/properties")))
                .isEqualTo(components(TreatmentAbroadApplication.Applicant.class));
        assertThat(names(schema.at("/properties/requestedService/properties")))
                .isEqualTo(components(TreatmentAbroadApplication.RequestedService.class));
        assertThat(names(schema.at("/properties/targetFacility/properties")))
                .isEqualTo(components(TreatmentAbroadApplication.TargetFacility.class));
    }

    private static JsonNode schema() throws IOException {
        try (InputStream in = getResource("/schemas/treatment-abroad-application.schema.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static InputStream getResource(String path) {
        InputStream in = TreatmentAbroadSchemaTest.class.getResourceAsStream(path);
        assertThat(in).as(path).isNotNull();
        return in;
    }

    private static List<String> names(JsonNode properties) {
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
