package org.cbhealth.hub.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.function.Supplier;
import org.cbhealth.hub.audit.AuditEventWriter;
import org.cbhealth.profiles.validation.CbhResourceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * Validates every resource before the JPA store writes it (create, update, each transaction entry, and the
 * DAO writes of routes) against its CBHealth profile. A resource with errors is refused with HTTP 422 and
 * an OperationOutcome listing only the errors, each with the element path it concerns.
 */
@Interceptor
public class ProfileValidatingInterceptor {

    private final Supplier<CbhResourceValidator> validator;
    private final FhirContext fhirContext;

    public ProfileValidatingInterceptor(Supplier<CbhResourceValidator> validator, FhirContext fhirContext) {
        this.validator = validator;
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void validateCreate(IBaseResource resource, RequestDetails request) {
        if (AuditEventWriter.isAuditWrite(request)) {
            // the hub's own audit records (IHE BALP profiles the hub does not load): not a caller's input
            return;
        }
        validate(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void validateUpdate(IBaseResource oldResource, IBaseResource newResource) {
        validate(newResource);
    }

    private void validate(IBaseResource resource) {
        if (resource instanceof StructureDefinition) {
            // the instance validator cannot validate differential-only profiles; the hub's own are checked by
            // generating their snapshots (fhir-profiles), and writing profiles is reserved to the hub
            return;
        }
        ValidationResult result = validator.get().validate(resource);
        OperationOutcome outcome = new OperationOutcome();
        for (SingleValidationMessage message : result.getMessages()) {
            if (message.getSeverity() == ResultSeverityEnum.ERROR
                    || message.getSeverity() == ResultSeverityEnum.FATAL) {
                OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                        .setCode(OperationOutcome.IssueType.PROCESSING)
                        .setDiagnostics(message.getMessage());
                if (message.getLocationString() != null) {
                    issue.addExpression(message.getLocationString());
                    issue.addLocation(message.getLocationString());
                }
            }
        }
        if (outcome.hasIssue()) {
            throw new UnprocessableEntityException(fhirContext, outcome);
        }
    }
}
