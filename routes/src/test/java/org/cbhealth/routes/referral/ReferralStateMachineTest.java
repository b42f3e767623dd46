package org.cbhealth.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferralStateMachineTest {

    @ParameterizedTest
    @CsvSource({
        "created,received",
        "created,accepted",
        "created,declined",
        "created,cancelled",
        "created,scheduled",
        "received,scheduled",
        "received,accepted",
        "received,declined",
        "received,cancelled",
        "accepted,scheduled",
        "accepted,completed",
        "accepted,cancelled",
        "scheduled,scheduled",
        "scheduled,completed",
        "scheduled,cancelled",
        "accepted,accepted",
        "completed,completed"
    })
    void allowedTransitions(String from, String to) {
        assertThat(ReferralStateMachine.refusal(from, to)).isEmpty();
    }

    @Test
    void completedBackToCreatedIsRefusedAndSaysTheStatusIsFinal() {
        assertThat(ReferralStateMachine.refusal("completed", "created"))
                .contains("a referral that is completed cannot become created (completed is final)");
    }

    @Test
    void skippingAcceptanceIsRefusedWithTheAllowedNextStatuses() {
        assertThat(ReferralStateMachine.refusal("received", "completed"))
                .contains("a referral that is received cannot become completed;"
                        + " from received it can become accepted, declined, scheduled, cancelled");
        assertThat(ReferralStateMachine.refusal("scheduled", "accepted"))
                .contains("a referral that is scheduled cannot become accepted;"
                        + " from scheduled it can become scheduled, completed, cancelled");
        assertThat(ReferralStateMachine.refusal("declined", "accepted"))
                .contains("a referral that is declined cannot become accepted (declined is final)");
    }

    @Test
    void unknownStatusIsNamed() {
        assertThat(ReferralStateMachine.refusal("created", "approved"))
                .contains("'approved' is not a referral status; expected one of"
                        + " [created, received, accepted, declined, scheduled, completed, cancelled]");
    }

    @Test
    void taskStatusFollowsTheBusinessStatus() {
        assertThat(ReferralStateMachine.taskStatus("created")).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(ReferralStateMachine.taskStatus("received")).isEqualTo(Task.TaskStatus.RECEIVED);
        assertThat(ReferralStateMachine.taskStatus("scheduled")).isEqualTo(Task.TaskStatus.ACCEPTED);
        assertThat(ReferralStateMachine.taskStatus("declined")).isEqualTo(Task.TaskStatus.REJECTED);
        assertThat(ReferralStateMachine.taskStatus("completed")).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(ReferralStateMachine.isFinal("cancelled")).isTrue();
        assertThat(ReferralStateMachine.isFinal("scheduled")).isFalse();
    }
}
