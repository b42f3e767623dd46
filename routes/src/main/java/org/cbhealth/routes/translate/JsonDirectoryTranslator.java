package org.cbhealth.routes.translate;

import org.cbhealth.routes.directory.DirectoryModelTranslator;
import org.cbhealth.routes.directory.json.DirectoryJsonReader;
import org.cbhealth.routes.directory.model.CatalogueRead;
import org.cbhealth.routes.fhir.InvalidMessageException;

/**
 * A partner's directory pushed as JSON ({@code schemas/directory.schema.json}) → the FHIR resources of the
 * catalogue. Refused records are passed on with their JSON pointers, the good ones are translated. A message with no
 * record at all is refused: it would otherwise, as a full export, deactivate the partner's whole directory.
 */
public class JsonDirectoryTranslator implements MessageTranslator {

    private final DirectoryJsonReader reader;
    private final DirectoryModelTranslator translator;

    public JsonDirectoryTranslator(DirectoryJsonReader reader, DirectoryModelTranslator translator) {
        this.reader = reader;
        this.translator = translator;
    }

    @Override
    public Translation translate(byte[] body, TranslationContext context) {
        CatalogueRead read = reader.read(body);
        if (read.catalogue().isEmpty() && read.refused().isEmpty()) {
            throw new InvalidMessageException(
                    "Directory refused: it lists no record (sites, departments, practitioners, endpoints or"
                            + " affiliations are all empty)");
        }
        return translator.translate(read, context);
    }
}
