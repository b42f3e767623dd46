package org.cbhealth.profiles.validation;

import ca.uhn.fhir.validation.IValidationContext;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.cbhealth.profiles.identifier.IdentifierCheck;
import org.cbhealth.profiles.identifier.NationalIdentifiers;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;

/**
 * Checks every national personal identifier of a resource ({@code <Type>.identifier} with a system of the
 * CBHealth NamingSystems): format, encoded birth date, check digit. A wrong one is an error located at
 * {@code <Type>.identifier[n].value} whose text names the system, the value and what is wrong.
 */
public class NationalIdentifierValidatorModule implements IValidatorModule {

    @Override
    public void validateResource(IValidationContext<IBaseResource> context) {
        if (!(context.getResource() instanceof Resource resource) || resource.getNamedProperty("identifier") == null) {
            return;
        }
        List<Base> identifiers = resource.getNamedProperty("identifier").getValues();
        for (int i = 0; i < identifiers.size(); i++) {
            if (identifiers.get(i) instanceof Identifier identifier && identifier.hasSystem()) {
                IdentifierCheck check = NationalIdentifiers.check(identifier.getSystem(), identifier.getValue());
                if (!check.valid()) {
                    SingleValidationMessage message = new SingleValidationMessage();
                    message.setSeverity(ResultSeverityEnum.ERROR);
                    message.setLocationString(resource.fhirType() + ".identifier[" + i + "].value");
                    message.setMessage(check.problem());
                    message.setMessageId("cbh-national-identifier");
                    context.addValidationMessage(message);
                }
            }
        }
    }
}
