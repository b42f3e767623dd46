package org.cbhealth.hub.security.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cbhealth.hub.security.HubPrincipal;
import org.cbhealth.hub.security.HubPrincipal.StaffRole;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Refuses a partner's requests that could reveal another partner's data by existence or count, before anything is
 * searched: reverse chains ({@code _has}), {@code _filter}, {@code _content}, {@code _text}, {@code _list}, {@code
 * _query}, {@code _summary=count} and {@code _total} on non-public types, conditional create, update, delete and
 * patch of non-public types (a search URL instead of an id), the same inside transaction and batch entries; and the
 * interactions no partner has: delete, {@code $meta}, {@code $meta-add}, {@code $meta-delete}, {@code $expunge},
 * {@code $everything}, GraphQL. Each refusal answers 403 and is audited. Public (directory and conformance) types
 * keep their full search. A viewer, who may see no referral data, is refused the same reverse chains and text
 * searches; coordinators and integrators, who see referral data anyway, are not checked here.
 */
@Interceptor
public class PartnerRequestGuard {

    private static final Set<String> LEAKING_PARAMETERS =
            Set.of("_filter", "_content", "_text", "_list", "_query", "_contained", "_containedType");

    private static final Set<RestOperationTypeEnum> NEVER = Set.of(
            RestOperationTypeEnum.DELETE,
            RestOperationTypeEnum.META,
            RestOperationTypeEnum.META_ADD,
            RestOperationTypeEnum.META_DELETE,
            RestOperationTypeEnum.GRAPHQL_REQUEST,
            RestOperationTypeEnum.ADD_TAGS,
            RestOperationTypeEnum.DELETE_TAGS,
            RestOperationTypeEnum.GET_TAGS);

    private final FhirDenials denials;

    public PartnerRequestGuard(FhirDenials denials) {
        this.denials = denials;
    }

    /** The caller, kept with the request before anything runs outside the request thread. */
    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = -1000)
    public void check(RequestDetails request, RestOperationTypeEnum operation) {
        FhirDenials.remember(request);
        Optional<HubPrincipal> caller = FhirDenials.caller(request);
        if (caller.isEmpty() || caller.get().has(StaffRole.COORDINATOR)) {
            return;
        }
        String action = FhirDenials.action(request);
        String target = FhirDenials.target(request);
        if (!caller.get().isPartner()) {
            // a viewer searches the directory only, but a reverse chain or a text search from it would still tell
            // whether referral data exists
            viewerProblem(request.getParameters()).ifPresent(reason -> {
                throw denials.deny(request, action, target, reason);
            });
            return;
        }
        if (operation != null && NEVER.contains(operation)) {
            throw denials.deny(request, action, target, "partners may not use " + action);
        }
        String type = request.getResourceName();
        problem(type, operation, request.getParameters(), request.getHeader(Constants.HEADER_IF_NONE_EXIST), request)
                .ifPresent(reason -> {
                    throw denials.deny(request, action, target, reason);
                });
        if ((operation == RestOperationTypeEnum.TRANSACTION) && request.getResource() instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                entryProblem(entry).ifPresent(reason -> {
                    throw denials.deny(request, action, "Bundle", reason);
                });
            }
        }
    }

    /** Why a viewer's request with these parameters is refused, if it is: what could reveal referral data. */
    static Optional<String> viewerProblem(Map<String, String[]> parameters) {
        for (String name : parameters.keySet()) {
            if (name.startsWith("_has")) {
                return Optional.of("reverse chaining (_has) is not available to viewers");
            }
            if (LEAKING_PARAMETERS.contains(name)) {
                return Optional.of(name + " is not available to viewers");
            }
        }
        return Optional.empty();
    }

    /** Why a partner's request of this type with these parameters is refused, if it is. */
    static Optional<String> problem(
            String type,
            RestOperationTypeEnum operation,
            Map<String, String[]> parameters,
            String ifNoneExist,
            RequestDetails request) {
        boolean publicType = type != null && ReferralAccess.isPublic(type);
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            if (name.startsWith("_has")) {
                return Optional.of("reverse chaining (_has) is not available to partners");
            }
            if (LEAKING_PARAMETERS.contains(name)) {
                return Optional.of(name + " is not available to partners");
            }
            if (!publicType
                    && Constants.PARAM_SUMMARY.equals(name)
                    && Arrays.asList(parameter.getValue()).contains("count")) {
                return Optional.of("_summary=count is not available to partners on " + describe(type));
            }
            if (!publicType
                    && Constants.PARAM_SEARCH_TOTAL_MODE.equals(name)
                    && !Arrays.asList(parameter.getValue()).contains("none")) {
                return Optional.of("_total is not available to partners on " + describe(type));
            }
        }
        if (operation == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE
                || operation == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
                || operation == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER) {
            String name = request == null ? null : request.getOperation();
            if (name != null && !ReferralAccess.CONFORMANCE_TYPES.contains(type)) {
                return Optional.of("partners may not use " + name + " on " + describe(type));
            }
        }
        if (publicType) {
            return Optional.empty();
        }
        if (operation == RestOperationTypeEnum.CREATE && ifNoneExist != null && !ifNoneExist.isBlank()) {
            return Optional.of("conditional create (If-None-Exist) is not available to partners on " + describe(type));
        }
        if ((operation == RestOperationTypeEnum.UPDATE
                        || operation == RestOperationTypeEnum.DELETE
                        || operation == RestOperationTypeEnum.PATCH)
                && request != null
                && (request.getId() == null || !request.getId().hasIdPart())) {
            return Optional.of("conditional " + operation.getCode()
                    + " (a search URL instead of an id) is not available" + " to partners on " + describe(type));
        }
        return Optional.empty();
    }

    /** Why an entry of a transaction or batch is refused, if it is. */
    static Optional<String> entryProblem(Bundle.BundleEntryComponent entry) {
        Bundle.BundleEntryRequestComponent request = entry.getRequest();
        if (request == null || !request.hasUrl()) {
            return Optional.empty();
        }
        String url = request.getUrl();
        int query = url.indexOf('?');
        String path = query < 0 ? url : url.substring(0, query);
        String[] segments = path.replaceFirst("^/", "").split("/");
        String type = segments.length > 0 && !segments[0].isBlank() ? segments[0] : null;
        boolean publicType = type != null && ReferralAccess.isPublic(type);
        Map<String, String[]> parameters = query < 0 ? Map.of() : parse(url.substring(query + 1));
        Bundle.HTTPVerb method = request.getMethod();
        if (method == Bundle.HTTPVerb.DELETE) {
            return Optional.of("partners may not delete (entry " + type + ")");
        }
        if (path.contains("$")) {
            String operation = path.substring(path.indexOf('$'));
            if (!ReferralAccess.CONFORMANCE_TYPES.contains(type)) {
                return Optional.of("partners may not use " + operation + " on " + describe(type));
            }
        }
        if (path.contains("_history") && method != Bundle.HTTPVerb.GET) {
            return Optional.of("partners may not write history");
        }
        Optional<String> problem = problem(type, null, parameters, null, null);
        if (problem.isPresent()) {
            return problem;
        }
        if (publicType) {
            return Optional.empty();
        }
        if (method == Bundle.HTTPVerb.POST && request.hasIfNoneExist()) {
            return Optional.of("conditional create (ifNoneExist) is not available to partners on " + describe(type));
        }
        if ((method == Bundle.HTTPVerb.PUT || method == Bundle.HTTPVerb.PATCH) && (query >= 0 || segments.length < 2)) {
            return Optional.of("conditional " + method.toCode() + " (a search URL instead of an id) is not available"
                    + " to partners on " + describe(type));
        }
        return Optional.empty();
    }

    private static String describe(String type) {
        return type == null ? "the server" : type;
    }

    private static Map<String, String[]> parse(String query) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            values.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
        }
        Map<String, String[]> parameters = new LinkedHashMap<>();
        values.forEach((k, v) -> parameters.put(k, v.toArray(String[]::new)));
        return parameters;
    }
}
