package org.cbhealth.hub.security.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class PartnerRequestGuardTest {

    @Test
    void parametersThatLeakByExistenceOrCountAreRefused() {
        assertThat(problem("Patient", Map.of("_has:ServiceRequest:subject:identifier", new String[] {"x"})))
                .contains("reverse chaining (_has) is not available to partners");
        assertThat(problem("Organization", Map.of("_has:Endpoint:organization:status", new String[] {"active"})))
                .as("_has leaks through the referral types it can name, whatever type it starts from")
                .isNotNull();
        assertThat(problem("ServiceRequest", Map.of("_filter", new String[] {"identifier eq 1"})))
                .contains("_filter");
        assertThat(problem("Patient", Map.of("_content", new String[] {"x"}))).contains("_content");
        assertThat(problem("Task", Map.of("_summary", new String[] {"count"}))).contains("_summary=count");
        assertThat(problem("Task", Map.of("_total", new String[] {"accurate"}))).contains("_total");
        assertThat(problem("Task", Map.of("_total", new String[] {"none"}))).isNull();
        assertThat(problem("Organization", Map.of("_summary", new String[] {"count"})))
                .as("counts of the public directory")
                .isNull();
        assertThat(problem("Task", Map.of("_include", new String[] {"Task:patient"})))
                .as("includes are filtered by consent, not refused")
                .isNull();
    }

    @Test
    void aViewerIsRefusedWhatCouldRevealReferralData() {
        assertThat(PartnerRequestGuard.viewerProblem(
                        Map.of("_has:ServiceRequest:performer:identifier", new String[] {"x"})))
                .get()
                .asString()
                .contains("reverse chaining (_has) is not available to viewers");
        assertThat(PartnerRequestGuard.viewerProblem(Map.of("_content", new String[] {"x"})))
                .get()
                .asString()
                .contains("_content");
        assertThat(PartnerRequestGuard.viewerProblem(
                        Map.of("name", new String[] {"Lviv"}, "_summary", new String[] {"count"})))
                .isEmpty();
    }

    @Test
    void conditionalWritesOfReferralTypesInsideBundlesAreRefused() {
        Bundle.BundleEntryComponent create = new Bundle.BundleEntryComponent().setResource(new Patient());
        create.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient").setIfNoneExist("identifier=123");
        assertThat(PartnerRequestGuard.entryProblem(create)).get().asString().contains("ifNoneExist");

        Bundle.BundleEntryComponent update = new Bundle.BundleEntryComponent();
        update.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("ServiceRequest?identifier=s%7C1");
        assertThat(PartnerRequestGuard.entryProblem(update)).get().asString().contains("conditional PUT");

        Bundle.BundleEntryComponent byId = new Bundle.BundleEntryComponent();
        byId.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Task/12");
        assertThat(PartnerRequestGuard.entryProblem(byId)).isEmpty();

        Bundle.BundleEntryComponent delete = new Bundle.BundleEntryComponent();
        delete.getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl("Organization/3");
        assertThat(PartnerRequestGuard.entryProblem(delete)).get().asString().contains("may not delete");

        Bundle.BundleEntryComponent reverse = new Bundle.BundleEntryComponent();
        reverse.getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient?_has:Task:patient:owner=Organization/1");
        assertThat(PartnerRequestGuard.entryProblem(reverse)).get().asString().contains("_has");

        Bundle.BundleEntryComponent everything = new Bundle.BundleEntryComponent();
        everything.getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient/5/$everything");
        assertThat(PartnerRequestGuard.entryProblem(everything))
                .get()
                .asString()
                .contains("$everything");

        Bundle.BundleEntryComponent directory = new Bundle.BundleEntryComponent();
        directory.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Organization?identifier=s%7C1");
        assertThat(PartnerRequestGuard.entryProblem(directory))
                .as("conditional writes of the public directory (ownership is checked on storage)")
                .isEmpty();
    }

    private static String problem(String type, Map<String, String[]> parameters) {
        return PartnerRequestGuard.problem(type, RestOperationTypeEnum.SEARCH_TYPE, parameters, null, null)
                .orElse(null);
    }
}
