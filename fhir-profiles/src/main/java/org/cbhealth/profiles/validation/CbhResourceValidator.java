package org.cbhealth.profiles.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;

/**
 * Validates resources against the CBHealth profiles: every resource of a profiled type against its type's
 * profile (whether or not it declares it), and any profile it declares; plus the national identifier check
 * digits. Built once (the support chain and snapshots are costly) and safe to share between threads. The
 * instance validation is HAPI's, with its per-validation set-up cost pooled ({@link PooledFhirInstanceValidator}).
 */
public class CbhResourceValidator {

    private final CbhConformanceResources resources;
    private final FhirValidator validator;

    public CbhResourceValidator(FhirContext fhirContext, CbhConformanceResources resources) {
        this.resources = resources;
        ValidationSupportChain chain = CbhValidationSupport.create(fhirContext, resources);
        PooledFhirInstanceValidator instanceValidator = new PooledFhirInstanceValidator(chain);
        instanceValidator.setAnyExtensionsAllowed(true);
        instanceValidator.setErrorForUnknownProfiles(false);
        instanceValidator.setAssumeValidRestReferences(true);
        this.validator = fhirContext.newValidator();
        validator.registerValidatorModule(instanceValidator);
        validator.registerValidatorModule(new NationalIdentifierValidatorModule());
        validator.setConcurrentBundleValidation(false);
    }

    public ValidationResult validate(IBaseResource resource) {
        ValidationOptions options = new ValidationOptions();
        resources.profileFor(resource.fhirType()).ifPresent(options::addProfile);
        return validator.validateWithResult(resource, options);
    }

    /** Validates one small resource per kind, so the first real request does not pay for the caches. */
    public void warm() {
        validate(new Organization().setName("warm-up"));
        validate(new Patient());
    }
}
