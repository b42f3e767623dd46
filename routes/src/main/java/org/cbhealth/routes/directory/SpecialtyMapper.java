package org.cbhealth.routes.directory;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;

/**
 * Maps partners' local specialty codes to the shared cross-border specialties, through the ConceptMaps of the
 * hub's conformance content, and finds a local code from its name when an export carries only the name.
 */
public class SpecialtyMapper {

    private final Map<String, Coding> sharedByLocal = new HashMap<>();
    private final Map<String, Coding> localByName = new HashMap<>();

    public SpecialtyMapper(List<IBaseResource> conformanceResources) {
        for (IBaseResource resource : conformanceResources) {
            if (resource instanceof ConceptMap map) {
                for (ConceptMap.ConceptMapGroupComponent group : map.getGroup()) {
                    for (ConceptMap.SourceElementComponent element : group.getElement()) {
                        ConceptMap.TargetElementComponent target = element.getTargetFirstRep();
                        if (target.hasCode()) {
                            sharedByLocal.put(
                                    key(group.getSource(), element.getCode()),
                                    new Coding(group.getTarget(), target.getCode(), target.getDisplay()));
                        }
                    }
                }
            } else if (resource instanceof CodeSystem codeSystem) {
                for (CodeSystem.ConceptDefinitionComponent concept : codeSystem.getConcept()) {
                    localByName.put(
                            key(codeSystem.getUrl(), normalise(concept.getDisplay())),
                            new Coding(codeSystem.getUrl(), concept.getCode(), concept.getDisplay()));
                }
            }
        }
    }

    /** The shared specialty a partner's local code maps to, if its ConceptMap maps it. */
    public Optional<Coding> toShared(String localSystem, String localCode) {
        return Optional.ofNullable(sharedByLocal.get(key(localSystem, localCode)))
                .map(Coding::copy);
    }

    /** The local code whose name in the partner's code system is {@code name} (case and spacing ignored). */
    public Optional<Coding> localByName(String localSystem, String name) {
        return Optional.ofNullable(localByName.get(key(localSystem, normalise(name))))
                .map(Coding::copy);
    }

    private static String key(String system, String code) {
        return system + "|" + code;
    }

    private static String normalise(String name) {
        return name == null ? "" : name.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
