package org.cbhealth.hub.conformance;

import ca.uhn.fhir.context.FhirContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.profiles.validation.CbhResourceValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and warms the profile validator (support chain, snapshots, caches: several seconds) on its own thread
 * while the rest of the hub starts; the first validation waits for it. A validator that cannot be built (a
 * broken profile) fails that first validation, which the start-up publication of the conformance resources
 * performs, so the hub still does not start with broken profiles.
 */
public class BackgroundValidator implements Supplier<CbhResourceValidator> {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundValidator.class);

    private final CompletableFuture<CbhResourceValidator> ready;

    public BackgroundValidator(FhirContext fhirContext, CbhConformanceResources resources) {
        this.ready = CompletableFuture.supplyAsync(() -> build(fhirContext, resources), task -> {
            Thread thread = new Thread(task, "cbh-validator-warm-up");
            thread.setDaemon(true);
            thread.start();
        });
    }

    @Override
    public CbhResourceValidator get() {
        try {
            return ready.join();
        } catch (CompletionException e) {
            throw new IllegalStateException(
                    "Profile validation could not be built: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static CbhResourceValidator build(FhirContext fhirContext, CbhConformanceResources resources) {
        long started = System.nanoTime();
        CbhResourceValidator validator = new CbhResourceValidator(fhirContext, resources);
        validator.warm();
        LOG.info(
                "Profile validation ready: {} conformance resources, built and warmed in {} ms",
                resources.all().size(),
                (System.nanoTime() - started) / 1_000_000);
        return validator;
    }
}
