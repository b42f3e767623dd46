package org.cbhealth.bench.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.cbhealth.bench.referral.LatencyStats;

/**
 * Sends the searches of a {@link SearchPlan} to the hub and times them. Before timing, every countable query's
 * {@code _summary=count} must equal the generator's total, so a benchmark of wrong or empty answers fails instead of
 * reporting fast figures. While timing, every answer's first page must hold as many matches as the total allows
 * (and, with {@code _include}, the included resources), else the run fails too.
 */
final class SearchRunner {

    /** What one search type gave. */
    record TypeFigures(
            String type,
            String exampleQuery,
            int values,
            int countsVerified,
            long minExpected,
            long maxExpected,
            int minIncluded,
            int maxIncluded,
            LatencyStats latency) {}

    private final FhirHttp fhir;
    private final int pageSize;
    private final Consumer<String> log;

    SearchRunner(FhirHttp fhir, int pageSize, Consumer<String> log) {
        this.fhir = fhir;
        this.pageSize = pageSize;
        this.log = log;
    }

    /** Checks every countable query's total with {@code _summary=count}; returns how many were checked. */
    int verifyTotals(List<SearchQuery> queries) throws IOException, InterruptedException {
        int checked = 0;
        for (SearchQuery query : queries) {
            if (!query.countable()) {
                continue;
            }
            JsonNode answer = fhir.get("HealthcareService?" + query.query() + "&_summary=count");
            long total = answer.path("total").asLong(-1);
            if (total != query.expectedMatches()) {
                throw new IllegalStateException("HealthcareService?" + query.query() + " counts " + total
                        + " matches, the generated directory has " + query.expectedMatches());
            }
            checked++;
        }
        return checked;
    }

    /**
     * Sends {@code warmup} searches, then {@code measured} timed ones, cycling through the type's values, from
     * {@code concurrency} clients at once.
     */
    TypeFigures run(String type, List<SearchQuery> queries, int warmup, int measured, int concurrency, int verified)
            throws Exception {
        send(queries, 0, warmup, concurrency, null);
        long[] nanos = new long[measured];
        int[] included = new int[measured];
        send(queries, warmup, measured, concurrency, (i, result) -> {
            nanos[i] = result[0];
            included[i] = (int) result[1];
        });
        int minIncluded = Integer.MAX_VALUE;
        int maxIncluded = 0;
        for (int n : included) {
            minIncluded = Math.min(minIncluded, n);
            maxIncluded = Math.max(maxIncluded, n);
        }
        LatencyStats stats = LatencyStats.of(nanos);
        log.accept(String.format(
                Locale.ROOT,
                "%s: %d searches, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms",
                type,
                measured,
                stats.p50Nanos() / 1e6,
                stats.p95Nanos() / 1e6,
                stats.p99Nanos() / 1e6));
        return new TypeFigures(
                type,
                queries.get(0).query(),
                queries.size(),
                verified,
                queries.stream().mapToLong(SearchQuery::expectedMatches).min().orElse(0),
                queries.stream().mapToLong(SearchQuery::expectedMatches).max().orElse(0),
                measured == 0 ? 0 : minIncluded,
                maxIncluded,
                stats);
    }

    private interface Sink {
        void accept(int index, long[] nanosAndIncluded);
    }

    private void send(List<SearchQuery> queries, int offset, int count, int concurrency, Sink sink) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        SearchQuery query = queries.get((offset + i) % queries.size());
                        long[] result = once(query);
                        if (sink != null) {
                            sink.accept(i, result);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One timed search: its latency and how many resources it included; fails on a wrong first page. */
    private long[] once(SearchQuery query) throws IOException, InterruptedException {
        long start = System.nanoTime();
        JsonNode bundle = fhir.get("HealthcareService?" + query.query() + "&_count=" + pageSize);
        long nanos = System.nanoTime() - start;
        int matches = FhirHttp.entries(bundle, "match");
        if (matches != query.expectedOnFirstPage(pageSize)) {
            throw new IllegalStateException("HealthcareService?" + query.query() + " gave " + matches
                    + " matches on its first page, expected " + query.expectedOnFirstPage(pageSize));
        }
        int included = FhirHttp.entries(bundle, "include");
        if (query.query().contains("_include=") && included == 0) {
            throw new IllegalStateException("HealthcareService?" + query.query() + " included nothing");
        }
        return new long[] {nanos, included};
    }
}
