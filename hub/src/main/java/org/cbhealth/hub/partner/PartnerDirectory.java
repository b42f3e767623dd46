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

    /**
     * The accepted partners by id, the problems of the refused files, and warnings that refuse nothing (a
     * referral partner not configured yet: referrals to it are refused until it is).
     */
    public record Check(
            Map<String, PartnerDefinition> partners, List<ConfigProblem> problems, List<ConfigProblem> warnings) {}

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
        Map<String, String> claimed = new HashMap<>();
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
            List<ConfigProblem> conflicts = conflicts(name, definition, claimed);
            if (!conflicts.isEmpty()) {
                problems.addAll(conflicts);
                continue;
            }
            claim(name, definition, claimed);
            fileOfId.put(definition.id(), name);
            partners.put(definition.id(), definition);
        }
        List<ConfigProblem> warnings = new ArrayList<>();
        for (PartnerDefinition partner : partners.values()) {
            List<String> referralPartners = partner.referralPartners();
            for (int i = 0; i < referralPartners.size(); i++) {
                if (!partners.containsKey(referralPartners.get(i))) {
                    warnings.add(new ConfigProblem(
                            fileOfId.get(partner.id()),
                            "referralPartners[" + i + "]",
                            "no partner '" + referralPartners.get(i)
                                    + "' in this directory; referrals with it are refused until it is configured"));
                }
            }
        }
        return new Check(partners, problems, warnings);
    }

    /**
     * Resources only one partner may use: an MLLP port, an inbound queue, an inbox folder. A later file (in name
     * order) that claims one already claimed is refused.
     */
    private static List<ConfigProblem> conflicts(
            String file, PartnerDefinition definition, Map<String, String> claimed) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (int i = 0; i < definition.inbound().size(); i++) {
            String resource = exclusiveResource(definition.inbound().get(i));
            if (resource != null && claimed.containsKey(resource)) {
                problems.add(new ConfigProblem(
                        file,
                        "inbound[" + i + "].settings",
                        resource + " is already used by " + claimed.get(resource)));
            }
        }
        return problems;
    }

    private static void claim(String file, PartnerDefinition definition, Map<String, String> claimed) {
        for (int i = 0; i < definition.inbound().size(); i++) {
            String resource = exclusiveResource(definition.inbound().get(i));
            if (resource != null) {
                claimed.put(resource, file + " inbound[" + i + "]");
            }
        }
    }

    private static String exclusiveResource(PartnerDefinition.InboundChannel channel) {
        if (channel.kind() == null) {
            return null;
        }
        return switch (channel.kind()) {
            case MLLP -> "MLLP port " + channel.settings().get("port");
            case JMS -> "queue '" + channel.settings().get("queue") + "'";
            case FILE -> "inbox folder '" + channel.settings().get("directory") + "'";
            default -> null;
        };
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
