package org.cbhealth.routes.directory.soap;

/**
 * A poll of a partner's directory service that did not bring a complete listing: the service was not reachable,
 * answered a SOAP Fault or an HTTP error, or its pages did not add up. Nothing of the poll is taken; the next poll
 * asks again. The message names the page and what went wrong, never the directory's content.
 */
public class DirectoryPollException extends RuntimeException {

    public DirectoryPollException(String message) {
        super(message);
    }
}
