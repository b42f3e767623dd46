package org.cbhealth.hub.security.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import java.util.Map;
import java.util.Set;
import org.cbhealth.hub.security.HubPrincipal;
import org.cbhealth.hub.security.HubPrincipal.StaffRole;
import org.junit.jupiter.api.Test;

class ConsentBypassTest {

    private static final Map<String, String[]> COUNT = Map.of("_summary", new String[] {"count"});
    private static final HubPrincipal PARTNER = HubPrincipal.partner("ua-lviv-regional-hospital");
    private static final HubPrincipal VIEWER = HubPrincipal.staff("viewer", Set.of(StaffRole.VIEWER));
    private static final HubPrincipal COORDINATOR = HubPrincipal.staff("coordinator", Set.of(StaffRole.COORDINATOR));

    @Test
    void aSearchOfATypeTheCallerSeesWholeSkipsConsent() {
        for (HubPrincipal caller : new HubPrincipal[] {PARTNER, VIEWER, COORDINATOR}) {
            assertThat(search(caller, "Organization", COUNT))
                    .as("%s counts the directory", caller.name())
                    .isTrue();
        }
        assertThat(search(PARTNER, "HealthcareService", Map.of("organization.name", new String[] {"Lviv"})))
                .as("a chain from the directory stays in the directory")
                .isTrue();
        assertThat(search(VIEWER, "ValueSet", Map.of())).isTrue();
        assertThat(search(COORDINATOR, "Task", COUNT))
                .as("a coordinator sees every Task")
                .isTrue();
    }

    @Test
    void whatCanReturnOrNameWithheldDataKeepsConsent() {
        assertThat(search(PARTNER, "Task", COUNT))
                .as("a partner sees its own Tasks only")
                .isFalse();
        assertThat(search(COORDINATOR, "AuditEvent", COUNT)).isFalse();
        for (String parameter :
                new String[] {"_revinclude", "_revinclude:iterate", "_include", "_has:Task:owner:status", "_contained"
                }) {
            assertThat(search(PARTNER, "Organization", Map.of(parameter, new String[] {"x"})))
                    .as(parameter)
                    .isFalse();
            assertThat(search(COORDINATOR, "Task", Map.of(parameter, new String[] {"x"})))
                    .as("%s could bring AuditEvents to a coordinator", parameter)
                    .isFalse();
        }
        assertThat(ConsentBypass.withholdsNothing(
                        PARTNER, "Organization", RestOperationTypeEnum.HISTORY_TYPE, Map.of()))
                .as("history is not a search")
                .isFalse();
        assertThat(ConsentBypass.withholdsNothing(COORDINATOR, null, RestOperationTypeEnum.SEARCH_SYSTEM, Map.of()))
                .isFalse();
    }

    private static boolean search(HubPrincipal caller, String type, Map<String, String[]> parameters) {
        return ConsentBypass.withholdsNothing(caller, type, RestOperationTypeEnum.SEARCH_TYPE, parameters);
    }
}
