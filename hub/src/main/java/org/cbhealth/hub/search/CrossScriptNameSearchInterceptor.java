package org.cbhealth.hub.search;

import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringOrListParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.server.util.ICachedSearchDetails;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.profiles.search.SearchNameExtension;
import org.cbhealth.profiles.search.SearchNames;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DomainResource;

/**
 * Name search across scripts (issue: "Stip" finds "Клиничка болница Штип", "Благоевград" finds "MBAL Blagoevgrad").
 *
 * <ul>
 *   <li>Before an Organization, Location or HealthcareService is stored (create, update, each transaction entry,
 *       route writes), it gets its {@code cbh-search-name} extension: every word start of its names, in their script
 *       and in Latin-ASCII. This runs before the profile validation, so what is validated is what is stored.
 *   <li>Before a search of these types runs, a plain {@code name} criterion (also chained, {@code organization.name},
 *       {@code location.name}) is answered by the hub's {@code search-name} parameter, which indexes names, aliases
 *       and the extension, with the Latin form of the value added: {@code name=Благоевград} becomes
 *       {@code search-name=Благоевград,Blagoevgrad}. {@code name:exact} and {@code name:contains} keep their
 *       standard meaning on the names themselves.
 * </ul>
 */
@Interceptor
public class CrossScriptNameSearchInterceptor {

    /** Runs before the other storage interceptors (profile validation) so they see the stored content. */
    static final int BEFORE_VALIDATION = -100;

    private static final String NAME = "name";
    private static final String SEARCH_NAME = CbhCanonical.SP_SEARCH_NAME_CODE;

    private final SearchNames searchNames;
    private final SearchNameExtension extension;
    private final ISearchParamRegistry searchParamRegistry;

    public CrossScriptNameSearchInterceptor(SearchNames searchNames, ISearchParamRegistry searchParamRegistry) {
        this.searchNames = searchNames;
        this.extension = new SearchNameExtension(searchNames);
        this.searchParamRegistry = searchParamRegistry;
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = BEFORE_VALIDATION)
    public void beforeCreate(IBaseResource resource) {
        index(resource);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = BEFORE_VALIDATION)
    public void beforeUpdate(IBaseResource oldResource, IBaseResource newResource) {
        index(newResource);
    }

    @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
    public void beforeSearch(ICachedSearchDetails search, SearchParameterMap parameters) {
        String resourceType = search.getResourceType();
        if (SearchNameExtension.RESOURCE_TYPES.contains(resourceType)) {
            moveNameSearches(parameters);
        }
        for (Map.Entry<String, List<List<IQueryParameterType>>> parameter : parameters.entrySet()) {
            for (List<IQueryParameterType> alternatives : parameter.getValue()) {
                for (int i = 0; i < alternatives.size(); i++) {
                    if (alternatives.get(i) instanceof ReferenceParam reference
                            && NAME.equals(reference.getChain())
                            && targetsAreIndexed(resourceType, parameter.getKey(), reference)) {
                        alternatives.set(i, chained(reference, reference.getValue()));
                        for (String form : latinForms(reference.getValue())) {
                            alternatives.add(chained(reference, form));
                        }
                    }
                }
            }
        }
    }

    /**
     * The plain {@code name} criteria become {@code search-name} criteria with the Latin forms of their values added;
     * criteria with a modifier ({@code :exact}, {@code :contains}, {@code :missing}) stay on {@code name}.
     */
    private void moveNameSearches(SearchParameterMap parameters) {
        List<List<IQueryParameterType>> names = parameters.get(NAME);
        if (names != null) {
            List<List<IQueryParameterType>> kept = new ArrayList<>();
            for (List<IQueryParameterType> alternatives : names) {
                if (alternatives.stream().allMatch(v -> v instanceof StringParam string && isPlain(string))) {
                    parameters.add(SEARCH_NAME, toOrList(alternatives));
                } else {
                    kept.add(alternatives);
                }
            }
            parameters.remove(NAME);
            if (!kept.isEmpty()) {
                parameters.put(NAME, kept);
            }
        }
        List<List<IQueryParameterType>> searchNames = parameters.get(SEARCH_NAME);
        if (searchNames != null) {
            for (List<IQueryParameterType> alternatives : searchNames) {
                List<IQueryParameterType> added = new ArrayList<>();
                for (IQueryParameterType value : alternatives) {
                    if (value instanceof StringParam string && isPlain(string)) {
                        latinForms(string.getValue()).forEach(form -> added.add(new StringParam(form)));
                    }
                }
                alternatives.addAll(added);
            }
        }
    }

    /**
     * Whether every type a chained {@code .name} can reach has {@code search-name}: {@code organization.name} of a
     * HealthcareService does, {@code subject.name} of a Task (Patient, ...) does not and is left alone.
     */
    private boolean targetsAreIndexed(String resourceType, String parameterName, ReferenceParam reference) {
        if (reference.getResourceType() != null) {
            return SearchNameExtension.RESOURCE_TYPES.contains(reference.getResourceType());
        }
        if (resourceType == null) {
            return false;
        }
        RuntimeSearchParam parameter = searchParamRegistry.getActiveSearchParam(
                resourceType, parameterName, ISearchParamRegistry.SearchParamLookupContextEnum.SEARCH);
        return parameter != null
                && parameter.hasTargets()
                && SearchNameExtension.RESOURCE_TYPES.containsAll(parameter.getTargets());
    }

    private static ReferenceParam chained(ReferenceParam reference, String value) {
        return new ReferenceParam(reference.getResourceType(), SEARCH_NAME, value);
    }

    private static StringOrListParam toOrList(List<IQueryParameterType> alternatives) {
        StringOrListParam or = new StringOrListParam();
        alternatives.forEach(value -> or.addOr((StringParam) value));
        return or;
    }

    private void index(IBaseResource resource) {
        if (resource instanceof DomainResource domainResource) {
            extension.apply(domainResource);
        }
    }

    /** The query's other forms (its first form is the value itself, which the search has already). */
    private List<String> latinForms(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> forms = searchNames.queryForms(value);
        return forms.subList(1, forms.size());
    }

    /** A value without {@code :exact}, {@code :contains}, {@code :text} or {@code :missing}. */
    private static boolean isPlain(StringParam value) {
        return !value.isExact() && !value.isContains() && !value.isText() && value.getMissing() == null;
    }
}
