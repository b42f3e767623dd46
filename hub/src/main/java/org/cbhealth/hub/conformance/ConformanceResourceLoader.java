package org.cbhealth.hub.conformance;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.SearchParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Publishes the hub's conformance resources (profiles, code systems, value sets, concept maps, naming
 * systems) at {@code /fhir} at start-up, under their own ids. Unchanged content creates no new version, so
 * restarts are quiet; a changed file becomes a new version. This is what makes {@code $validate} with a
 * CBHealth profile and {@code $translate} with a partner's ConceptMap work on the server, and what makes the hub's
 * SearchParameters active (before the partners' routes are loaded, so what they store is indexed by them).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ConformanceResourceLoader implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ConformanceResourceLoader.class);

    private final CbhConformanceResources resources;
    private final DaoRegistry daoRegistry;
    private final ISearchParamRegistry searchParamRegistry;

    public ConformanceResourceLoader(
            CbhConformanceResources resources, DaoRegistry daoRegistry, ISearchParamRegistry searchParamRegistry) {
        this.resources = resources;
        this.daoRegistry = daoRegistry;
        this.searchParamRegistry = searchParamRegistry;
    }

    @Override
    public void run(ApplicationArguments args) {
        int changed = 0;
        for (IBaseResource resource : resources.all()) {
            @SuppressWarnings("unchecked")
            IFhirResourceDao<IBaseResource> dao =
                    daoRegistry.getResourceDao((Class<IBaseResource>) resource.getClass());
            DaoMethodOutcome outcome = dao.update(resource, request(resource));
            if (!outcome.isNop()) {
                changed++;
            }
        }
        // the registry would pick up new or changed SearchParameters at its next scheduled refresh; now instead
        searchParamRegistry.forceRefresh();
        LOG.info(
                "Conformance resources published at /fhir: {} in all, {} new or changed",
                resources.all().size(),
                changed);
    }

    /**
     * The request details of one update. A new or changed SearchParameter makes HAPI start a reindex job of every
     * resource of its base types; the job starts about a minute later and then takes in what was stored meanwhile
     * (already indexed on write), at a few resources a second, and competes with the imports of a freshly started
     * hub for the processors. When no resource of those types is stored yet, there is nothing to reindex: the job
     * is skipped.
     */
    private SystemRequestDetails request(IBaseResource resource) {
        SystemRequestDetails request = new SystemRequestDetails();
        if (resource instanceof SearchParameter parameter && nothingStoredOf(parameter)) {
            request.getUserData().put(JpaConstants.SKIP_REINDEX_ON_UPDATE, Boolean.TRUE);
        }
        return request;
    }

    private boolean nothingStoredOf(SearchParameter parameter) {
        for (CodeType base : parameter.getBase()) {
            String type = base.getCode();
            if (type == null || !daoRegistry.isResourceTypeSupported(type)) {
                return false; // Resource, DomainResource or unknown: all types, which are never all empty
            }
            SearchParameterMap any = SearchParameterMap.newSynchronous();
            any.setLoadSynchronousUpTo(1);
            if (!daoRegistry
                    .getResourceDao(type)
                    .search(any, new SystemRequestDetails())
                    .getResources(0, 1)
                    .isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
