package org.cbhealth.profiles.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cbhealth.profiles.CbhCanonical;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.StringType;

/**
 * Writes the extension {@code cbh-search-name} (one {@code valueString} per form) on an Organization, Location or
 * HealthcareService: the {@link SearchNames search forms} of its name, its aliases and the translations of both (FHIR
 * {@code translation} extension, whose {@code lang} chooses the romanization). The language of the name and aliases
 * is the resource's {@code language}, when given. The hub's {@code search-name} search parameter indexes the extension
 * beside the names themselves.
 *
 * <p>The forms depend only on the names, so the same resource always gets the same extension: the extension a
 * client sends is replaced, never trusted, and storing an unchanged resource again changes nothing.
 */
public final class SearchNameExtension {

    /** The resource types whose names the hub indexes in every script. */
    public static final Set<String> RESOURCE_TYPES = Set.of("Organization", "Location", "HealthcareService");

    private final SearchNames searchNames;

    public SearchNameExtension(SearchNames searchNames) {
        this.searchNames = searchNames;
    }

    /** Replaces the resource's search forms by those of its current names; other resource types are left alone. */
    public void apply(DomainResource resource) {
        if (!RESOURCE_TYPES.contains(resource.fhirType())) {
            return;
        }
        resource.getExtension().removeIf(e -> CbhCanonical.EXT_SEARCH_NAME.equals(e.getUrl()));
        for (String form : searchNames.forms(texts(resource))) {
            resource.addExtension(CbhCanonical.EXT_SEARCH_NAME, new StringType(form));
        }
    }

    /** The names of a resource to index: name, aliases, and their translations. */
    static List<SearchNames.NameText> texts(DomainResource resource) {
        List<SearchNames.NameText> texts = new ArrayList<>();
        String language = resource.hasLanguage() ? resource.getLanguage() : null;
        List<PrimitiveType<String>> names = new ArrayList<>();
        if (resource instanceof Organization organization) {
            names.add(organization.getNameElement());
            names.addAll(organization.getAlias());
        } else if (resource instanceof Location location) {
            names.add(location.getNameElement());
            names.addAll(location.getAlias());
        } else if (resource instanceof HealthcareService service) {
            names.add(service.getNameElement());
        }
        for (PrimitiveType<String> name : names) {
            if (name.hasValue()) {
                texts.add(new SearchNames.NameText(name.getValue(), language, true));
            }
        }
        for (PrimitiveType<String> name : names) {
            for (Extension translation : name.getExtensionsByUrl(CbhCanonical.EXT_TRANSLATION)) {
                Extension content = translation.getExtensionByUrl("content");
                Extension lang = translation.getExtensionByUrl("lang");
                if (content != null && content.getValue() instanceof PrimitiveType<?> text && text.hasValue()) {
                    String translationLanguage = lang != null && lang.getValue() instanceof PrimitiveType<?> code
                            ? code.getValueAsString()
                            : null;
                    texts.add(new SearchNames.NameText(text.getValueAsString(), translationLanguage, false));
                }
            }
        }
        return texts;
    }
}
