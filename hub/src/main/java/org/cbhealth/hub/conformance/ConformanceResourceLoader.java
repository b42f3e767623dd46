package org.cbhealth.hub.conformance;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Publishes the hub's conformance resources (profiles, code systems, value sets, concept maps, naming
 * systems) at {@code /fhir} at start-up, under their own ids. Unchanged content creates no new version, so
 * restarts are quiet; a changed file becomes a new version. This is what makes {@code $validate} with a
 * CBHealth profile and {@code $translate} with a partner's ConceptMap work on the server.
 */
@Component
public class ConformanceResourceLoader implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ConformanceResourceLoader.class);

    private final CbhConformanceResources resources;
    private final DaoRegistry daoRegistry;

    public ConformanceResourceLoader(CbhConformanceResources resources, DaoRegistry daoRegistry) {
        this.resources = resources;
        this.daoRegistry = daoRegistry;
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
        LOG.info(
                "Conformance resources published at /fhir: {} in all, {} new or changed",
                resources.all().size(),
                changed);
    }
}
