package org.cbhealth.hub.security.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cbhealth.hub.security.HubPrincipal;
import org.cbhealth.hub.security.HubPrincipal.StaffRole;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI's rule-based authorization on {@code /fhir}, with rules built per request from {@link HubPrincipal}: what
 * interactions a caller may use on which types. Which resources of a readable type a caller sees is the
 * {@link ReferralConsentService}'s; which directory resources and Tasks a partner may change is the
 * {@link PartnerWriteGuard}'s. A denial answers 403 with an OperationOutcome and is audited.
 *
 * <ul>
 *   <li>anyone: the CapabilityStatement ({@code metadata});
 *   <li>partner: read and search of every type but AuditEvent; create/update of directory types and Task;
 *       transaction and batch (each entry checked by these rules); {@code $translate}, {@code $validate-code},
 *       {@code $lookup}, {@code $validate} on conformance types; nothing else;
 *   <li>viewer: read and search of directory and conformance types;
 *   <li>coordinator: also read and write of the referral types, transaction and batch;
 *   <li>integrator: everything.
 * </ul>
 */
@Interceptor
public class HubAuthorizationInterceptor extends AuthorizationInterceptor {

    private static final List<String> TERMINOLOGY_OPERATIONS =
            List.of("$translate", "$validate-code", "$lookup", "$validate");

    private final FhirContext fhirContext;
    private final FhirDenials denials;

    public HubAuthorizationInterceptor(FhirContext fhirContext, FhirDenials denials) {
        super(PolicyEnum.DENY);
        this.fhirContext = fhirContext;
        this.denials = denials;
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        Optional<HubPrincipal> caller = HubPrincipal.current();
        RuleBuilder rules = new RuleBuilder();
        rules.allow("capability statement").metadata();
        if (caller.isEmpty()) {
            return rules.denyAll("not authenticated").build();
        }
        HubPrincipal principal = caller.get();
        if (principal.has(StaffRole.INTEGRATOR)) {
            return rules.allowAll("integrator").build();
        }
        if (principal.isPartner()) {
            partnerRules(rules);
        } else if (principal.has(StaffRole.COORDINATOR)) {
            readTypes(rules, "coordinator", union(ReferralAccess.DIRECTORY_TYPES, ReferralAccess.CONFORMANCE_TYPES));
            readTypes(rules, "coordinator", ReferralAccess.REFERRAL_TYPES);
            for (String type : ReferralAccess.REFERRAL_TYPES) {
                rules.allow("coordinator write").write().resourcesOfType(type).withAnyId();
                rules.allow("coordinator create").create().resourcesOfType(type).withAnyId();
            }
            rules.allow("coordinator transaction")
                    .transaction()
                    .withAnyOperation()
                    .andApplyNormalRules();
            terminology(rules);
        } else if (principal.has(StaffRole.VIEWER)) {
            readTypes(rules, "viewer", union(ReferralAccess.DIRECTORY_TYPES, ReferralAccess.CONFORMANCE_TYPES));
            terminology(rules);
        }
        return rules.denyAll("no rule allows it").build();
    }

    private void partnerRules(IAuthRuleBuilder rules) {
        rules.deny("audit trail").read().resourcesOfType("AuditEvent").withAnyId();
        // every type (system history included); which resources are shown is the consent service's
        rules.allow("partner read").read().allResources().withAnyId();
        for (String type : union(ReferralAccess.DIRECTORY_TYPES, Set.of("Task"))) {
            rules.allow("partner write").write().resourcesOfType(type).withAnyId();
            rules.allow("partner create").create().resourcesOfType(type).withAnyId();
        }
        rules.allow("partner transaction").transaction().withAnyOperation().andApplyNormalRules();
        terminology(rules);
    }

    private static void readTypes(IAuthRuleBuilder rules, String name, Set<String> types) {
        for (String type : types) {
            rules.allow(name + " read").read().resourcesOfType(type).withAnyId();
        }
    }

    @SuppressWarnings("unchecked")
    private void terminology(IAuthRuleBuilder rules) {
        for (String type : ReferralAccess.CONFORMANCE_TYPES) {
            Class<? extends IBaseResource> resourceType =
                    fhirContext.getResourceDefinition(type).getImplementingClass();
            for (String operation : TERMINOLOGY_OPERATIONS) {
                rules.allow("terminology")
                        .operation()
                        .named(operation)
                        .onType(resourceType)
                        .andAllowAllResponses();
                rules.allow("terminology")
                        .operation()
                        .named(operation)
                        .onInstancesOfType(resourceType)
                        .andAllowAllResponses();
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    @Override
    protected void handleDeny(RequestDetails request, Verdict decision) {
        throw denials.deny(
                request,
                FhirDenials.action(request),
                FhirDenials.target(request),
                HubPrincipal.current().isEmpty()
                        ? "not authenticated"
                        : "the caller's role does not allow " + FhirDenials.action(request) + " on "
                                + (request.getResourceName() == null ? "the server" : request.getResourceName()));
    }
}
