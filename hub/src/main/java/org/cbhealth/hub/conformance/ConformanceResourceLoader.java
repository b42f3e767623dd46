package org.cbhealth.hub.conformance;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.hl7.fhir.instance.model.api.IBaseResource;
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
            DaoMethodOutcome outcome = dao.update(resource, new SystemRequestDetails());
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
}
