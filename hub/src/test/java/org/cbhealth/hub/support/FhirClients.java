package org.cbhealth.hub.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;

/** Real HAPI REST clients, with their own FhirContext, as a partner system or staff tool would have. */
public final class FhirClients {

    private FhirClients() {}

    /** A client for the FHIR base URL of a running hub, e.g. {@code http://127.0.0.1:8080/fhir}. */
    public static IGenericClient forBase(String fhirBase) {
        FhirContext context = FhirContext.forR4Cached();
        context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return context.newRestfulGenericClient(fhirBase);
    }

    /** How many versions a resource has, from its {@code _history}. */
    public static int versions(IGenericClient client, String type, String id) {
        return client.history()
                .onInstance(new IdType(type, id))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .size();
    }

    /** A client for the hub listening on {@code httpPort} of the loopback interface. */
    public static IGenericClient forPort(int httpPort) {
        return forBase("http://127.0.0.1:" + httpPort + "/fhir");
    }
}
