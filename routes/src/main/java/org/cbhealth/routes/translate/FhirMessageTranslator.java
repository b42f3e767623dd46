package org.cbhealth.routes.translate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.cbhealth.routes.fhir.FhirResourceReader;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIR sent by a partner: one resource, or a Bundle whose entries are taken one by one (an entry without a
 * resource is refused with its position; the others are kept). The resources are checked against the profiles
 * by the hub afterwards like any other translation output.
 */
public class FhirMessageTranslator implements MessageTranslator {

    private final FhirResourceReader reader;

    public FhirMessageTranslator(FhirResourceReader reader) {
        this.reader = reader;
    }

    @Override
    public Translation translate(byte[] body, TranslationContext context) {
        IBaseResource parsed = reader.read(new String(body, StandardCharsets.UTF_8));
        if (!(parsed instanceof Bundle bundle)) {
            return new Translation(List.of((Resource) parsed), List.of(), List.of());
        }
        List<Resource> resources = new ArrayList<>();
        List<InputProblem> rejected = new ArrayList<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
            if (entry.hasResource()) {
                resources.add(entry.getResource());
            } else {
                rejected.add(new InputProblem("Bundle.entry[" + i + "]", "entry without a resource"));
            }
        }
        if (resources.isEmpty()) {
            throw new InvalidMessageException("Bundle has no resource to take", rejected);
        }
        return new Translation(resources, rejected, List.of());
    }
}
