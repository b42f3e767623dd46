package org.cbhealth.profiles.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * Builds the validation support chain of the hub, entirely offline: the FHIR R4 core definitions, the
 * CBHealth conformance resources, BCP 47 languages of every partner, common code systems (countries, units),
 * in-memory terminology
 * and snapshot generation. The snapshots of all CBHealth profiles are generated here, once; a differential
 * that does not produce a snapshot element for each of its elements stops the build of the chain, naming
 * the profile and the element.
 */
public final class CbhValidationSupport {

    private CbhValidationSupport() {}

    public static ValidationSupportChain create(FhirContext fhirContext, CbhConformanceResources resources) {
        PrePopulatedValidationSupport cbh = new PrePopulatedValidationSupport(fhirContext);
        resources.all().forEach(cbh::addResource);
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhirContext),
                new LanguageValidationSupport(fhirContext),
                cbh,
                new CommonCodeSystemsTerminologyService(fhirContext),
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext));
        List<String> problems = new ArrayList<>();
        for (StructureDefinition differential : resources.profiles()) {
            StructureDefinition withSnapshot = generateSnapshot(chain, differential, problems);
            if (withSnapshot != null) {
                cbh.addStructureDefinition(withSnapshot);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Broken CBHealth profiles: " + String.join("; ", problems));
        }
        return chain;
    }

    private static StructureDefinition generateSnapshot(
            ValidationSupportChain chain, StructureDefinition differential, List<String> problems) {
        StructureDefinition copy = differential.copy();
        IBaseResource generated;
        try {
            generated = chain.generateSnapshot(
                    new ValidationSupportContext(chain), copy, copy.getUrl(), null, copy.getName());
        } catch (RuntimeException e) {
            problems.add(copy.getUrl() + ": snapshot generation failed: " + e.getMessage());
            return null;
        }
        if (!(generated instanceof StructureDefinition snapshot) || !snapshot.hasSnapshot()) {
            problems.add(copy.getUrl() + ": no snapshot generated");
            return null;
        }
        Set<String> inSnapshot = snapshot.getSnapshot().getElement().stream()
                .map(ElementDefinition::getId)
                .collect(Collectors.toSet());
        differential.getDifferential().getElement().stream()
                .map(ElementDefinition::getId)
                .filter(id -> !inSnapshot.contains(id))
                .forEach(
                        id -> problems.add(copy.getUrl() + ": differential element " + id + " is not in the snapshot"));
        return snapshot;
    }
}
