package org.cbhealth.routes.translate;

import org.cbhealth.routes.fhir.InvalidMessageException;

/** Turns one partner message of a given format and flow into FHIR resources. Pure: no Camel, no storage. */
public interface MessageTranslator {

    /**
     * @throws InvalidMessageException when nothing of the message can be translated; problems with parts of
     *     it are returned in {@link Translation#rejected()} instead
     */
    Translation translate(byte[] body, TranslationContext context);
}
