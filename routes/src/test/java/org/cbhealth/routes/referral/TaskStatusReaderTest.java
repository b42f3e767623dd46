package org.cbhealth.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import org.cbhealth.routes.fhir.FhirResourceReader;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.junit.jupiter.api.Test;

class TaskStatusReaderTest {

    private final TaskStatusReader reader = new TaskStatusReader(new FhirResourceReader(FhirContext.forR4Cached()));

    @Test
    void scheduledByTheHubReferralNumberWithItsAppointmentAndNote() {
        StatusUpdate update = reader.read(
                """
                {"resourceType":"Task",
                 "identifier":[{"system":"https://fhir.cbhealth.eu/sid/referral","value":"1048"}],
                 "status":"accepted","intent":"order",
                 "businessStatus":{"coding":[{"system":"https://fhir.cbhealth.eu/CodeSystem/cbh-task-business-status","code":"scheduled"}]},
                 "restriction":{"period":{"start":"2026-12-03T09:00:00+01:00"}},
                 "note":[{"text":"Кабинет 12, втори кат"}]}
                """);
        assertThat(update.referral()).isEqualTo("1048");
        assertThat(update.placerValue()).isNull();
        assertThat(update.status()).isEqualTo("scheduled");
        assertThat(update.scheduledStart()).isEqualTo("2026-12-03T09:00:00+01:00");
        assertThat(update.note()).isEqualTo("Кабинет 12, втори кат");
        assertThat(update.outcome()).isNull();
    }

    @Test
    void completedByTheReferrersNumberWithTheOutcomeDocument() {
        StatusUpdate update = reader.read(
                """
                {"resourceType":"Task",
                 "identifier":[{"system":"https://fhir.cbhealth.eu/sid/partner/bg-mbal-blagoevgrad/referral-task","value":"BG-REF-000123"}],
                 "status":"completed","intent":"order",
                 "businessStatus":{"coding":[{"system":"https://fhir.cbhealth.eu/CodeSystem/cbh-task-business-status","code":"completed"}]},
                 "output":[{"type":{"text":"outcome"},"valueAttachment":{"contentType":"text/plain","title":"Епикриза","data":"0JXQv9C40LrRgNC40LfQsA=="}}]}
                """);
        assertThat(update.referral()).isNull();
        assertThat(update.placerSystem())
                .isEqualTo("https://fhir.cbhealth.eu/sid/partner/bg-mbal-blagoevgrad/referral-task");
        assertThat(update.placerValue()).isEqualTo("BG-REF-000123");
        assertThat(update.status()).isEqualTo("completed");
        assertThat(update.outcome().title()).isEqualTo("Епикриза");
        assertThat(update.outcome().contentType()).isEqualTo("text/plain");
        assertThat(new String(update.outcome().data(), StandardCharsets.UTF_8)).isEqualTo("Епикриза");
    }

    @Test
    void declinedCarriesItsReason() {
        StatusUpdate update = reader.read(
                """
                {"resourceType":"Task","id":"77","status":"rejected","intent":"order",
                 "businessStatus":{"coding":[{"system":"https://fhir.cbhealth.eu/CodeSystem/cbh-task-business-status","code":"declined"}]},
                 "statusReason":{"text":"no free beds before March"}}
                """);
        assertThat(update.referral()).isEqualTo("77");
        assertThat(update.reason()).isEqualTo("no free beds before March");
    }

    @Test
    void aTaskWithoutReferralOrKnownStatusIsRefusedNamingBoth() {
        assertThatThrownBy(
                        () -> reader.read(
                                """
                        {"resourceType":"Task","status":"accepted","intent":"order",
                         "businessStatus":{"coding":[{"system":"https://fhir.cbhealth.eu/CodeSystem/cbh-task-business-status","code":"approved"}]}}
                        """))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("Task.identifier: name the referral")
                .hasMessageContaining("Task.businessStatus: 'approved' is not one of [created, received, accepted,"
                        + " declined, scheduled, completed, cancelled]");
    }

    @Test
    void anotherResourceTypeIsRefused() {
        assertThatThrownBy(() -> reader.read("{\"resourceType\":\"Patient\"}"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("resourceType: expected Task, got Patient");
    }
}
