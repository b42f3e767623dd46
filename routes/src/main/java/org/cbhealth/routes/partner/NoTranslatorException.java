package org.cbhealth.routes.partner;

/**
 * The hub has no translator for the channel's format and flow. The message is fine as far as the hub can tell;
 * the hub is what cannot take it yet, so it is parked with the hub named as the one to act, and can be replayed
 * once a translator exists.
 */
public class NoTranslatorException extends RuntimeException {

    public NoTranslatorException(String message) {
        super(message);
    }
}
