package org.cbhealth.hub.partner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a directory of partner files ({@code *.yaml}, {@code *.yml}) and checks them together: each file on
 * its own ({@link PartnerFileReader}), then across files — duplicate partner ids, referral partners that do
 * not exist, code mappings that are not ConceptMaps the hub knows. A bad file is refused with its problems;
 * the good files are kept, so one integrator's mistake stops no other partner.
 */
public class PartnerDirectory {

    /** The accepted partners by id, and the problems of the refused files. */
    public record Check(Map<String, PartnerDefinition> partners, List<ConfigProblem> problems) {}

    private final PartnerFileReader reader = new PartnerFileReader();
    private final Set<String> knownConceptMaps;

    /** @param knownConceptMaps canonical URLs of the ConceptMaps a partner's codeMappings may name */
    public PartnerDirectory(Set<String> knownConceptMaps) {
        this.knownConceptMaps = Set.copyOf(knownConceptMaps);
    }

    public Check check(Path directory) {
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the partner directory " + directory, e);
        }
        Map<String, PartnerDefinition> partners = new LinkedHashMap<>();
        Map<String, String> fileOfId = new HashMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (Path file : files) {
            PartnerFileReader.Result result = reader.read(file);
            problems.addAll(result.problems());
            PartnerDefinition definition = result.definition();
            if (definition == null) {
                continue;
            }
            String name = file.getFileName().toString();
            if (fileOfId.containsKey(definition.id())) {
                problems.add(new ConfigProblem(
                        name,
                        "id",
                        "duplicate partner id '" + definition.id() + "', already in " + fileOfId.get(definition.id())));
                continue;
            }
            List<ConfigProblem> mappingProblems = unknownConceptMaps(name, definition);
            if (!mappingProblems.isEmpty()) {
                problems.addAll(mappingProblems);
                continue;
            }
            fileOfId.put(definition.id(), name);
            partners.put(definition.id(), definition);
        }
        for (PartnerDefinition partner : List.copyOf(partners.values())) {
            List<String> referralPartners = partner.referralPartners();
            for (int i = 0; i < referralPartners.size(); i++) {
                if (!partners.containsKey(referralPartners.get(i))) {
                    problems.add(new ConfigProblem(
                            fileOfId.get(partner.id()),
                            "referralPartners[" + i + "]",
                            "no partner '" + referralPartners.get(i) + "' in this directory"));
                    partners.remove(partner.id());
                }
            }
        }
        return new Check(partners, problems);
    }

    private List<ConfigProblem> unknownConceptMaps(String file, PartnerDefinition definition) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (int i = 0; i < definition.codeMappings().size(); i++) {
            String url = definition.codeMappings().get(i);
            if (!knownConceptMaps.contains(url)) {
                problems.add(new ConfigProblem(file, "codeMappings[" + i + "]", "unknown ConceptMap '" + url + "'"));
            }
        }
        return problems;
    }
}
