package org.cbhealth.routes.translate;

import org.cbhealth.routes.directory.DirectoryModelTranslator;
import org.cbhealth.routes.directory.model.CatalogueRead;
import org.cbhealth.routes.directory.soap.SoapDirectoryReader;
import org.cbhealth.routes.fhir.InvalidMessageException;

/**
 * A complete listing of a partner's SOAP directory service ({@code wsdl/directory-service.wsdl}: the pages a
 * soap-poll channel collected, or one {@code ListDirectoryResponse}) → the FHIR resources of the catalogue, through
 * the same directory model and translator as JSON directories. Refused records are passed on with their paths, the
 * good ones are translated. A listing with no record at all is refused: as a full export it would deactivate the
 * partner's whole directory.
 */
public class SoapDirectoryTranslator implements MessageTranslator {

    private final SoapDirectoryReader reader;
    private final DirectoryModelTranslator translator;

    public SoapDirectoryTranslator(SoapDirectoryReader reader, DirectoryModelTranslator translator) {
        this.reader = reader;
        this.translator = translator;
    }

    @Override
    public Translation translate(byte[] body, TranslationContext context) {
        CatalogueRead read = reader.read(body);
        if (read.catalogue().isEmpty() && read.refused().isEmpty()) {
            throw new InvalidMessageException(
                    "Directory listing refused: it lists no record (no site, department, practitioner, endpoint or"
                            + " affiliation)");
        }
        return translator.translate(read, context);
    }
}
