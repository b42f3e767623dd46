package org.cbhealth.routes.translate;

import java.util.Map;
import org.hl7.fhir.r4.model.Reference;

/**
 * What a translator knows of the sender, all from the partner's configuration: its id (which namespaces its
 * business identifiers), a reference to its Organization, its local specialty code system (from the ConceptMap
 * its configuration names), its default language, and the channel's settings.
 */
public record TranslationContext(
        String partnerId,
        String channel,
        Reference organization,
        String localSpecialtySystem,
        String defaultLanguage,
        Map<String, Object> settings,
        Map<String, String> attributes) {

    public TranslationContext {
        settings = Map.copyOf(settings);
        attributes = Map.copyOf(attributes);
    }
}
