package org.cbhealth.profiles.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Validates language codes (BCP 47, {@code urn:ietf:bcp:47}) for the FHIR language value sets. The R4
 * {@code languages} value set enumerates about fifty tags and leaves out most partner languages (bg, mk, uk,
 * sl, lt, lv, et); any well-formed tag whose language is an ISO 639 language is accepted here instead, so a
 * Bulgarian patient's {@code communication.language = bg} is not refused.
 */
public class LanguageValidationSupport implements IValidationSupport {

    static final String BCP_47 = "urn:ietf:bcp:47";
    private static final Set<String> VALUE_SETS =
            Set.of("http://hl7.org/fhir/ValueSet/languages", "http://hl7.org/fhir/ValueSet/all-languages");
    private static final Set<String> ISO_LANGUAGES = Set.of(Locale.getISOLanguages());

    private final FhirContext fhirContext;

    public LanguageValidationSupport(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Override
    public FhirContext getFhirContext() {
        return fhirContext;
    }

    @Override
    public String getName() {
        return "CBHealth BCP 47 language validation";
    }

    @Override
    public boolean isValueSetSupported(ValidationSupportContext context, String valueSetUrl) {
        return valueSetUrl != null && VALUE_SETS.contains(stripVersion(valueSetUrl));
    }

    @Override
    public CodeValidationResult validateCode(
            ValidationSupportContext context,
            ConceptValidationOptions options,
            String system,
            String code,
            String display,
            String valueSetUrl) {
        if (valueSetUrl == null || !isValueSetSupported(context, valueSetUrl)) {
            return null;
        }
        return check(system, code);
    }

    @Override
    public CodeValidationResult validateCodeInValueSet(
            ValidationSupportContext context,
            ConceptValidationOptions options,
            String system,
            String code,
            String display,
            IBaseResource valueSet) {
        String url = valueSet == null ? null : fhirContext.newTerser().getSinglePrimitiveValueOrNull(valueSet, "url");
        if (url == null || !isValueSetSupported(context, url)) {
            return null;
        }
        return check(system, code);
    }

    private static CodeValidationResult check(String system, String code) {
        if (system != null && !BCP_47.equals(system)) {
            return error("Language codes come from " + BCP_47 + ", not " + system);
        }
        Locale locale;
        try {
            locale = new Locale.Builder().setLanguageTag(code).build();
        } catch (IllformedLocaleException | NullPointerException e) {
            return error("'" + code + "' is not a well-formed BCP 47 language tag");
        }
        if (!ISO_LANGUAGES.contains(locale.getLanguage())) {
            return error("'" + code + "' does not name an ISO 639 language");
        }
        return new CodeValidationResult().setCode(code).setDisplay(locale.getDisplayName(Locale.ENGLISH));
    }

    private static CodeValidationResult error(String message) {
        return new CodeValidationResult().setSeverity(IssueSeverity.ERROR).setMessage(message);
    }

    private static String stripVersion(String url) {
        int bar = url.indexOf('|');
        return bar < 0 ? url : url.substring(0, bar);
    }
}
