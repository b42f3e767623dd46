package org.cbhealth.routes.fhir;

/**
 * A message the hub cannot accept as sent: the sender must fix it. Retrying will not help, so channels park
 * it (or answer the sender) at once instead of redelivering. The message names what is wrong and where.
 */
public class InvalidMessageException extends RuntimeException {

    public InvalidMessageException(String message) {
        super(message);
    }

    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
