package org.cbhealth.hub.fhir;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.cbhealth.routes.fhir.FhirResourceStore;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * Stores route output in the HAPI JPA store through its DAOs, so storage interceptors (validation, audit)
 * apply exactly as they do to REST writes. A resource with a business identifier is created conditionally
 * on that identifier ({@code If-None-Exist}), which makes a redelivered message store nothing new.
 */
@Component
public class JpaFhirResourceStore implements FhirResourceStore {

    private final DaoRegistry daoRegistry;

    public JpaFhirResourceStore(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
    }

    @Override
    public String store(IBaseResource resource) {
        @SuppressWarnings("unchecked")
        IFhirResourceDao<IBaseResource> dao = daoRegistry.getResourceDao((Class<IBaseResource>) resource.getClass());
        SystemRequestDetails request = new SystemRequestDetails();
        String ifNoneExist = businessIdentifierMatchUrl(resource);
        try {
            DaoMethodOutcome outcome =
                    ifNoneExist == null ? dao.create(resource, request) : dao.create(resource, ifNoneExist, request);
            return outcome.getId().toUnqualified().getValue();
        } catch (UnprocessableEntityException | InvalidRequestException e) {
            // the resource is wrong (profile, references): the sender must fix it, redelivery cannot help
            throw new InvalidMessageException(refusal(e), e);
        }
    }

    @Override
    public java.util.List<String> storeTransaction(org.hl7.fhir.r4.model.Bundle transaction) {
        @SuppressWarnings("unchecked")
        ca.uhn.fhir.jpa.api.dao.IFhirSystemDao<org.hl7.fhir.r4.model.Bundle, ?> system =
                (ca.uhn.fhir.jpa.api.dao.IFhirSystemDao<org.hl7.fhir.r4.model.Bundle, ?>) daoRegistry.getSystemDao();
        try {
            org.hl7.fhir.r4.model.Bundle response = system.transaction(new SystemRequestDetails(), transaction);
            return response.getEntry().stream()
                    .map(e -> new org.hl7.fhir.r4.model.IdType(e.getResponse().getLocation())
                            .toUnqualified()
                            .getValue())
                    .toList();
        } catch (UnprocessableEntityException | InvalidRequestException e) {
            throw new InvalidMessageException(refusal(e), e);
        }
    }

    /**
     * Like {@link #storeTransaction}, but inside the database transaction the caller has open (HAPI's nested
     * transaction processing), so the caller can write more in the same transaction.
     */
    public java.util.List<String> storeTransactionInCurrent(org.hl7.fhir.r4.model.Bundle transaction) {
        @SuppressWarnings("unchecked")
        ca.uhn.fhir.jpa.api.dao.IFhirSystemDao<org.hl7.fhir.r4.model.Bundle, ?> system =
                (ca.uhn.fhir.jpa.api.dao.IFhirSystemDao<org.hl7.fhir.r4.model.Bundle, ?>) daoRegistry.getSystemDao();
        try {
            org.hl7.fhir.r4.model.Bundle response = system.transactionNested(new SystemRequestDetails(), transaction);
            return response.getEntry().stream()
                    .map(e -> new org.hl7.fhir.r4.model.IdType(e.getResponse().getLocation())
                            .toUnqualified()
                            .getValue())
                    .toList();
        } catch (UnprocessableEntityException | InvalidRequestException e) {
            throw new InvalidMessageException(refusal(e), e);
        }
    }

    /** The refusal with every issue of its OperationOutcome, each with the element path it names. */
    private static String refusal(BaseServerResponseException e) {
        if (!(e.getOperationOutcome() instanceof OperationOutcome outcome) || !outcome.hasIssue()) {
            return e.getMessage();
        }
        StringBuilder text = new StringBuilder("Refused by the FHIR store (HTTP " + e.getStatusCode() + "):");
        for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
            text.append(' ');
            if (issue.hasExpression()) {
                text.append(issue.getExpression().get(0).getValue()).append(": ");
            }
            text.append(issue.getDiagnostics()).append(';');
        }
        return text.toString();
    }

    /** {@code Type?identifier=system|value} for the first identifier with both parts, or null. */
    static String businessIdentifierMatchUrl(IBaseResource resource) {
        if (!(resource instanceof Resource r4)) {
            return null;
        }
        if (!r4.getNamedProperty("identifier").hasValues()) {
            return null;
        }
        return r4.getNamedProperty("identifier").getValues().stream()
                .filter(Identifier.class::isInstance)
                .map(Identifier.class::cast)
                .filter(id -> id.hasSystem() && id.hasValue())
                .findFirst()
                .map(id -> r4.fhirType() + "?identifier=" + escape(id.getSystem()) + "|" + escape(id.getValue()))
                .orElse(null);
    }

    /** FHIR search escaping of {@code \\} and {@code |}, then URL encoding (spaces as {@code %20}). */
    private static String escape(String token) {
        String fhirEscaped = token.replace("\\", "\\\\").replace("|", "\\|");
        return URLEncoder.encode(fhirEscaped, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
