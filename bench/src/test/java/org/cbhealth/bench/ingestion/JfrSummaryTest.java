package org.cbhealth.bench.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.cbhealth.bench.ingestion.JfrSummary.Category;
import org.junit.jupiter.api.Test;

class JfrSummaryTest {

    @Test
    void shouldCountAStackUnderTheInterceptorAsValidationEvenBelowAStorageCall() {
        assertThat(JfrSummary.categorise(List.of(
                        "java.util.HashMap.get",
                        "org.hl7.fhir.validation.instance.InstanceValidator.validate",
                        "org.cbhealth.hub.conformance.ProfileValidatingInterceptor.validateCreate",
                        "ca.uhn.fhir.jpa.dao.BaseHapiFhirResourceDao.doCreate")))
                .isEqualTo(Category.VALIDATION);
    }

    @Test
    void shouldCountHibernateAndTheDriverAsStorage() {
        assertThat(JfrSummary.categorise(List.of(
                        "org.postgresql.core.v3.QueryExecutorImpl.execute",
                        "org.hibernate.engine.jdbc.batch.internal.BatchImpl.execute",
                        "ca.uhn.fhir.parser.JsonParser.encodeResourceToString")))
                .isEqualTo(Category.STORAGE);
    }

    @Test
    void shouldCountTheParserOutsideStorageAsParsingAndTheRestAsOther() {
        assertThat(JfrSummary.categorise(List.of("ca.uhn.fhir.parser.JsonParser.parseResource")))
                .isEqualTo(Category.PARSING);
        assertThat(JfrSummary.categorise(List.of("org.apache.tomcat.util.net.NioEndpoint.run")))
                .isEqualTo(Category.OTHER);
        assertThat(JfrSummary.categorise(List.of())).isEqualTo(Category.OTHER);
    }

    @Test
    void shouldSummariseOnlyRequestThreadsAndRankTheirTopFrames() {
        JfrSummary summary = JfrSummary.of(
                java.util.Arrays.asList("http-nio-8080-exec-1", "http-nio-8080-exec-2", "Camel thread #3", null),
                List.of(
                        List.of("org.hl7.fhir.validation.instance.InstanceValidator.checkElement"),
                        List.of(
                                "java.util.HashMap.putVal",
                                "org.hl7.fhir.r5.fhirpath.FHIRPathEngine.<init>",
                                "org.hl7.fhir.validation.instance.InstanceValidator.checkElement"),
                        List.of("org.apache.camel.Foo.bar"),
                        List.of("x.Y.z")));

        assertThat(summary.requestSamples()).isEqualTo(2);
        assertThat(summary.otherSamples()).isEqualTo(2);
        assertThat(summary.share(Category.VALIDATION)).isEqualTo(1.0);
        assertThat(summary.share(Category.STORAGE)).isEqualTo(0.0);
        assertThat(summary.topFrames())
                .containsExactly(
                        Map.entry("java.util.HashMap.putVal", 1),
                        Map.entry("org.hl7.fhir.validation.instance.InstanceValidator.checkElement", 1));
        assertThat(summary.topOwnFrames())
                .containsExactly(
                        Map.entry("org.hl7.fhir.r5.fhirpath.FHIRPathEngine.<init>", 1),
                        Map.entry("org.hl7.fhir.validation.instance.InstanceValidator.checkElement", 1));
    }
}
