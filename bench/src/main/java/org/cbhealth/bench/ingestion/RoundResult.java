package org.cbhealth.bench.ingestion;

import java.util.List;

/**
 * What one round of posting Bundles to one server gave.
 *
 * @param bundles Bundles posted
 * @param elapsedNanos first send → last answer
 * @param latencyNanos each Bundle's send → answer, successful or not
 * @param errors what went wrong with each Bundle not answered 200, in no particular order
 */
record RoundResult(int bundles, long elapsedNanos, long[] latencyNanos, List<String> errors) {

    int succeeded() {
        return bundles - errors.size();
    }
}
