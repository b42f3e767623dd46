package org.cbhealth.hub.partner;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.hl7.fhir.r4.model.ConceptMap;
import org.springframework.stereotype.Component;

/** The ConceptMaps the hub ships: their URLs (what partner files may name) and the code system each maps from. */
@Component
public class ConceptMapSources {

    private final Map<String, String> sourceSystems = new HashMap<>();

    public ConceptMapSources(CbhConformanceResources conformance) {
        conformance.all().stream()
                .filter(ConceptMap.class::isInstance)
                .map(ConceptMap.class::cast)
                .forEach(map -> sourceSystems.put(
                        map.getUrl(), map.hasGroup() ? map.getGroupFirstRep().getSource() : null));
    }

    /** Local code system of each ConceptMap, by the ConceptMap's URL. */
    public Map<String, String> sourceSystems() {
        Map<String, String> copy = new HashMap<>();
        sourceSystems.forEach((url, system) -> {
            if (system != null) {
                copy.put(url, system);
            }
        });
        return copy;
    }

    public Set<String> urls() {
        return Set.copyOf(sourceSystems.keySet());
    }
}
