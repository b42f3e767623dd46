package org.cbhealth.hub.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;

/** Real HAPI REST clients, with their own FhirContext, as a partner system or staff tool would have. */
public final class FhirClients {

    private FhirClients() {}

    /**
     * A client without credentials for the FHIR base URL of a running hub, e.g. {@code http://127.0.0.1:8080/fhir}
     * (the hub answers it {@code /metadata} only).
     */
    public static IGenericClient forBase(String fhirBase) {
        FhirContext context = FhirContext.forR4Cached();
        context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return context.newRestfulGenericClient(fhirBase);
    }

    /** A client of a member of staff (HTTP Basic), as a staff tool calls the hub. */
    public static IGenericClient asStaff(String fhirBase, String user, String password) {
        IGenericClient client = forBase(fhirBase);
        client.registerInterceptor(new BasicAuthInterceptor(user, password));
        return client;
    }

    /**
     * A client of the partner's system: every request carries the partner's access token from the hub's token
     * endpoint ({@link PartnerTokens}; the hub's base is {@code fhirBase} without {@code /fhir}).
     */
    public static IGenericClient asPartner(String fhirBase, String partnerId) {
        IGenericClient client = forBase(fhirBase);
        client.registerInterceptor(new PartnerBearer(PartnerTokens.of(hubBase(fhirBase)), partnerId));
        return client;
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

    /** A client without credentials for the hub listening on {@code httpPort} of the loopback interface. */
    public static IGenericClient forPort(int httpPort) {
        return forBase(fhirBase(httpPort));
    }

    /** A staff client (HTTP Basic) for the hub listening on {@code httpPort} of the loopback interface. */
    public static IGenericClient forPort(int httpPort, String user, String password) {
        return asStaff(fhirBase(httpPort), user, password);
    }

    private static String fhirBase(int httpPort) {
        return "http://127.0.0.1:" + httpPort + "/fhir";
    }

    private static String hubBase(String fhirBase) {
        String base = fhirBase.endsWith("/") ? fhirBase.substring(0, fhirBase.length() - 1) : fhirBase;
        if (!base.endsWith("/fhir")) {
            throw new IllegalArgumentException("not a hub's FHIR base (…/fhir): " + fhirBase);
        }
        return base.substring(0, base.length() - "/fhir".length());
    }

    /**
     * The partner's current token on each request (tokens live 5 minutes, so a fixed {@code
     * BearerTokenAuthInterceptor} would outlive its token in a long test).
     */
    private static final class PartnerBearer implements IClientInterceptor {

        private final PartnerTokens tokens;
        private final String partnerId;

        PartnerBearer(PartnerTokens tokens, String partnerId) {
            this.tokens = tokens;
            this.partnerId = partnerId;
        }

        @Override
        public void interceptRequest(IHttpRequest request) {
            request.addHeader("Authorization", HttpAuth.bearer(tokens.accessToken(partnerId)));
        }

        @Override
        public void interceptResponse(IHttpResponse response) {
            // nothing to do with the answer
        }
    }
}
