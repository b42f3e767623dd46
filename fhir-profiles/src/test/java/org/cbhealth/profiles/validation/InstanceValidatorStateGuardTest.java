package org.cbhealth.profiles.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Guards {@link PooledFhirInstanceValidator}: its reuse of one {@code InstanceValidator} for many validations
 * rests on an audit of the instance fields of HAPI's and the HL7 core's classes, in the versions below (see
 * the class Javadoc), and its copy of {@code ValidatorWrapper}'s configuration on that class's fields. When an
 * upgrade changes a version or a field list, this test fails: read the new fields in the bytecode ({@code javap
 * -p -c}), decide whether each is reset per validation, a resource-independent cache, or must be reset in
 * {@code ReusableInstanceValidator.prepareForReuse()}, update the Javadoc, then the lists here.
 */
class InstanceValidatorStateGuardTest {

    @Test
    void shouldRunOnTheAuditedLibraryVersions() throws IOException {
        assertThat(version("hapi-fhir-validation")).as("HAPI FHIR validation").isEqualTo("8.8.0");
        assertThat(version("org.hl7.fhir.validation")).as("HL7 core validation").isEqualTo("6.7.9");
    }

    @Test
    void shouldFindTheAuditedInstanceValidatorFields() throws ClassNotFoundException {
        assertThat(instanceFields("org.hl7.fhir.validation.instance.InstanceValidator"))
                .isEqualTo(names("xhtmlElementMap fpe checkDisplay anyExtensionsAllowed errorForUnknownProfiles"
                        + " noInvariantChecks wantInvariantInMessage hintAboutNonMustSupport showMessagesFromReferences"
                        + " validationLanguage baseOnly noCheckAggregation wantCheckSnapshotUnchanged"
                        + " noUnicodeBiDiControlChars htmlInMarkdownCheck allowComments allowDoubleQuotesInFHIRPath igs"
                        + " extensionDomains resourceIdRule allowXsiLocation suppressLoincSnomedMessages"
                        + " noBindingMsgSuppressed fetchCache resourceTracker time start lastlog externalHostServices"
                        + " noExtensibleWarnings serverBase myEnableWhenEvaluator executionId tracker validatorServices"
                        + " securityChecks profileUtilities crumbTrails bundleValidationRules"
                        + " validateValueSetCodesOnTxServer questionnaireMode crLookups logProgress codingObserver"
                        + " validatedContent testMode example signatureServices unknownCodeSystemsCauseErrors"
                        + " noExperimentalContent textsToCheck aiService textsToCheckKeys cacheFolder matchetypeStatus"
                        + " oids"));
        assertThat(instanceFields("org.hl7.fhir.validation.BaseValidator"))
                .isEqualTo(names("META ENTRY LINK DOCUMENT RESOURCE MESSAGE SEARCHSET ID FULL_URL PATH_ARG TYPE BUNDLE"
                        + " LAST_UPDATED VERSION_ID parent context timeTracker xverManager fetcher policyAdvisor"
                        + " noTerminologyChecks settings trackedMessages messagesToRemove statusWarnings session cu"
                        + " validationControl urlRegex"));
        assertThat(instanceFields("org.hl7.fhir.validation.codesystem.CodingsObserver"))
                .isEqualTo(names("context list checkIPSCodes"));
    }

    @Test
    void shouldFindTheHapiSettingsThatThePoolCopies() throws ClassNotFoundException {
        assertThat(instanceFields("org.hl7.fhir.common.hapi.validation.validator.ValidatorWrapper"))
                .isEqualTo(names("myBestPracticeWarningLevel myAnyExtensionsAllowed myErrorForUnknownProfiles"
                        + " myNoTerminologyChecks myAssumeValidRestReferences myNoExtensibleWarnings"
                        + " myNoBindingMsgSuppressed myExtensionDomains myValidatorResourceFetcher"
                        + " myValidationPolicyAdvisor hostApplicationServices myAllowExamples"));
        assertThat(instanceFields("org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator"))
                .isEqualTo(names("myAnyExtensionsAllowed myBestPracticeWarningLevel myValidationSupport"
                        + " noTerminologyChecks noExtensibleWarnings noBindingMsgSuppressed myWrappedWorkerContext"
                        + " errorForUnknownProfiles assumeValidRestReferences myExtensionDomains"
                        + " validatorResourceFetcher validatorPolicyAdvisor myAllowExamples hostApplicationServices"));
    }

    private static Set<String> instanceFields(String className) throws ClassNotFoundException {
        return Arrays.stream(Class.forName(className).getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.isSynthetic())
                .map(Field::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> names(String spaceSeparated) {
        return new TreeSet<>(Arrays.asList(spaceSeparated.split(" ")));
    }

    private static String version(String artifactId) throws IOException {
        String path = "META-INF/maven/ca.uhn.hapi.fhir/" + artifactId + "/pom.properties";
        try (InputStream in =
                InstanceValidatorStateGuardTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
    }
}
