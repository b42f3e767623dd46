package org.cbhealth.routes.partner;

import org.cbhealth.routes.fhir.InvalidMessageException;

/**
 * What every inbound partner route hands its message to: the hub checks it, translates it to FHIR with the
 * translator of the channel's format and flow, validates and stores the result. Routes deal only with their
 * transport and its answer.
 */
public interface InboundHandler {

    /**
     * @throws InvalidMessageException when the sender must fix the message (the route refuses or parks it)
     * @throws PartnerUnavailableException when the partner or channel is not (or no longer) configured
     * @throws RuntimeException for failures of the hub (database down): the transport retries
     */
    InboundOutcome handle(InboundMessage message);
}
