package org.cbhealth.hub.partner;

import ca.uhn.fhir.context.FhirContext;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.hl7.fhir.r4.model.ConceptMap;

/**
 * {@code java -jar cbhealth-hub.jar --check-config DIR}: checks a directory of partner files offline, without
 * starting the hub, so integrators can run it in their own CI. Prints each problem as
 * {@code FILE: FIELD: REASON} (warnings prefixed {@code warning:}) and a summary; exits 1 when there is a problem, 0 when all files are good.
 */
public final class ConfigCheckCommand {

    public static final String OPTION = "--check-config";

    private ConfigCheckCommand() {}

    /** Runs the check; returns the process exit code. */
    public static int run(Path directory, PrintStream out) {
        if (!Files.isDirectory(directory)) {
            out.println(directory + ": not a directory");
            return 2;
        }
        PartnerDirectory.Check check = new PartnerDirectory(knownConceptMaps()).check(directory);
        check.problems().forEach(out::println);
        check.warnings().forEach(w -> out.println("warning: " + w));
        out.println(check.partners().size() + " partner file(s) good, "
                + check.problems().size() + " problem(s), " + check.warnings().size() + " warning(s)");
        return check.problems().isEmpty() ? 0 : 1;
    }

    /** The ConceptMaps shipped with the hub, by canonical URL. */
    public static Set<String> knownConceptMaps() {
        return CbhConformanceResources.load(FhirContext.forR4Cached()).all().stream()
                .filter(ConceptMap.class::isInstance)
                .map(r -> ((ConceptMap) r).getUrl())
                .collect(Collectors.toUnmodifiableSet());
    }
}
