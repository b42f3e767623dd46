package org.cbhealth.bench.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Loads the generated directory into the hub through {@code /fhir} as transaction Bundles of whole units (so every
 * reference stays inside its Bundle), from a few parallel posters. The first Bundle goes alone, so a directory the
 * hub refuses fails at once with the hub's OperationOutcome rather than after minutes. Measures from the first post
 * to the last answer.
 */
final class DirectoryLoader {

    /**
     * What a load took.
     *
     * @param resources resources loaded
     * @param bundles transaction Bundles posted
     * @param unitsPerBundle units per Bundle
     * @param posters Bundles posted at once
     * @param elapsed first post → last answer
     */
    record LoadFigures(long resources, int bundles, int unitsPerBundle, int posters, Duration elapsed) {

        /** Units loaded: always the first ones, {@code 0..units-1}. */
        int units() {
            return (int) (resources / DirectoryGenerator.UNIT_SIZE);
        }

        double resourcesPerSecond() {
            return resources / (elapsed.toNanos() / 1e9);
        }
    }

    private final FhirHttp fhir;
    private final DirectoryGenerator generator;
    private final Consumer<String> log;

    DirectoryLoader(FhirHttp fhir, DirectoryGenerator generator, Consumer<String> log) {
        this.fhir = fhir;
        this.generator = generator;
        this.log = log;
    }

    /**
     * Loads units {@code 0..units-1}; when {@code limit} has passed, no further Bundle is started, so what is loaded
     * is always the first units, up to the end of the last Bundle started.
     */
    LoadFigures load(int units, int unitsPerBundle, int posters, Duration limit) throws Exception {
        IParser parser = FhirContext.forR4Cached().newJsonParser();
        int bundles = (units + unitsPerBundle - 1) / unitsPerBundle;
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        post(parser, 0, unitsPerBundle, units);
        AtomicInteger next = new AtomicInteger(1);
        AtomicLong done = new AtomicLong(1);
        ExecutorService pool = Executors.newFixedThreadPool(posters);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int p = 0; p < posters; p++) {
                running.add(pool.submit(() -> {
                    IParser own = FhirContext.forR4Cached().newJsonParser();
                    while (true) {
                        int b;
                        synchronized (next) {
                            if (next.get() >= bundles || System.nanoTime() - deadline > 0) {
                                return null;
                            }
                            b = next.getAndIncrement();
                        }
                        post(own, b, unitsPerBundle, units);
                        long n = done.incrementAndGet();
                        if (n % Math.max(1, bundles / 20) == 0) {
                            double seconds = (System.nanoTime() - start) / 1e9;
                            log.accept(String.format(
                                    java.util.Locale.ROOT,
                                    "loaded %d/%d bundles, %.0f resources/s",
                                    n,
                                    bundles,
                                    Math.min((long) units, n * unitsPerBundle)
                                            * DirectoryGenerator.UNIT_SIZE
                                            / seconds));
                        }
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        int started = Math.min(bundles, next.get());
        return new LoadFigures(
                (long) Math.min(units, started * unitsPerBundle) * DirectoryGenerator.UNIT_SIZE,
                started,
                unitsPerBundle,
                posters,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private void post(IParser parser, int bundle, int unitsPerBundle, int units)
            throws IOException, InterruptedException {
        int from = bundle * unitsPerBundle;
        int to = Math.min(units, from + unitsPerBundle);
        String json = parser.encodeResourceToString(generator.transaction(from, to));
        fhir.transaction(json);
    }
}
