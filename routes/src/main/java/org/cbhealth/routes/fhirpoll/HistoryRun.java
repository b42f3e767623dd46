package org.cbhealth.routes.fhirpoll;

import java.time.Instant;
import org.hl7.fhir.r4.model.Bundle;

/**
 * What one poll read of a partner's history: every entry of every page, in one {@code history} Bundle (newest first
 * per type, as the server listed them), the {@code _since} the next poll asks for, and how many pages it took.
 *
 * @param since the {@code _since} this poll asked for, or null for a first, complete read
 * @param nextSince the partner server's time when this poll began, minus the overlap (never before {@code since})
 */
public record HistoryRun(Bundle history, Instant since, Instant nextSince, int pages) {

    public int entries() {
        return history.getEntry().size();
    }
}
