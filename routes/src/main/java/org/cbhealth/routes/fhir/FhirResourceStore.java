package org.cbhealth.routes.fhir;

import org.hl7.fhir.instance.model.api.IBaseResource;

/** Where routes put the FHIR resources they produce: the hub's FHIR store. */
public interface FhirResourceStore {

    /**
     * Stores a resource. A resource carrying a business identifier is created only if no resource of its
     * type has that identifier yet, so storing the same resource twice yields one stored resource.
     *
     * @return the versioned id of the stored (or already present) resource, e.g. {@code Organization/12/_history/1}
     */
    String store(IBaseResource resource);

    /**
     * Stores a transaction Bundle all or nothing. Its entries' conditional creates make a resent message store
     * nothing new.
     *
     * @return the versioned ids of the entries' resources, in entry order
     */
    java.util.List<String> storeTransaction(org.hl7.fhir.r4.model.Bundle transaction);
}
