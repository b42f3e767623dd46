package org.cbhealth.routes.partner;

/** A message for a partner or channel that is not configured, or not running; nothing was processed. */
public class PartnerUnavailableException extends RuntimeException {

    public PartnerUnavailableException(String message) {
        super(message);
    }
}
