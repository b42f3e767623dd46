package org.cbhealth.hub.partner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The partners the hub runs, kept in step with the partner directory. Each {@link #reload()} checks every file
 * and changes exactly the partners whose files changed: a new file starts its partner's routes, a changed one
 * replaces them, a removed one stops them. A file that is broken is refused with its problems and stops no one:
 * if it was running, its last good definition keeps running until the file is fixed or removed.
 */
@Component
public class PartnerRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerRegistry.class);

    /** A running partner: its definition, and whether an admin stopped it. */
    public record Running(PartnerDefinition definition, boolean stopped) {}

    /** What a reload did: partners started, replaced and removed, and the problems of refused files. */
    public record Report(
            List<String> started,
            List<String> replaced,
            List<String> removed,
            List<ConfigProblem> problems,
            List<ConfigProblem> warnings) {}

    private final PartnerProperties properties;
    private final PartnerDirectory directory;
    private final PartnerRouteManager routes;
    private final PartnerOrganizations organizations;
    private final PartnerAffiliations affiliations;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private volatile List<ConfigProblem> problems = List.of();
    private volatile List<ConfigProblem> warnings = List.of();
    /** Whether the partnerships must be published again (at start, and after a failed or partial attempt). */
    private boolean affiliationsPending = true;

    public PartnerRegistry(
            PartnerProperties properties,
            ConceptMapSources conceptMaps,
            PartnerRouteManager routes,
            PartnerOrganizations organizations,
            PartnerAffiliations affiliations) {
        this.properties = properties;
        this.directory = new PartnerDirectory(conceptMaps.urls());
        this.routes = routes;
        this.organizations = organizations;
        this.affiliations = affiliations;
    }

    public synchronized Report reload() {
        Path dir = properties.directory();
        if (!Files.isDirectory(dir)) {
            LOG.warn("Partner directory {} does not exist; no partners run", dir);
            problems = List.of(new ConfigProblem(dir.toString(), "(directory)", "does not exist"));
            return new Report(List.of(), List.of(), List.copyOf(running.keySet()), problems, List.of());
        }
        PartnerDirectory.Check check = directory.check(dir);
        Set<String> fileStems = fileStems(dir);
        List<ConfigProblem> refused = new ArrayList<>(check.problems());
        List<String> started = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        List<String> removed = new ArrayList<>();

        for (String id : List.copyOf(running.keySet())) {
            if (check.partners().containsKey(id)) {
                continue;
            }
            if (fileStems.contains(id)) {
                if (problems.stream().noneMatch(p -> p.file().startsWith(id + "."))) {
                    LOG.warn("Partner {}: its file was refused; the last good definition keeps running", id);
                }
                continue;
            }
            stop(id);
            removed.add(id);
        }
        for (PartnerDefinition partner : check.partners().values()) {
            Running current = running.get(partner.id());
            if (current != null && current.definition().equals(partner)) {
                continue;
            }
            if (current != null) {
                // the old definition stays listed (and serves in-flight messages) until the new routes run
                removeRoutes(partner.id());
            }
            try {
                organizations.publish(partner);
                // an admin's stop outlasts a change of the file; only a start resumes the partner
                boolean stoppedByAdmin = current != null && current.stopped();
                routes.start(partner, !stoppedByAdmin);
                running.put(partner.id(), new Running(partner, stoppedByAdmin));
                (current == null ? started : replaced).add(partner.id());
                LOG.info(
                        "Partner {} {}: {}",
                        partner.id(),
                        current == null ? "started" : "updated",
                        routeIds(partner.id()));
            } catch (Exception e) {
                String file = partner.id() + ".yaml";
                refused.add(new ConfigProblem(file, "(routes)", "could not start: " + e.getMessage()));
                LOG.warn("Partner {}: routes could not start: {}", partner.id(), e.getMessage());
                if (current != null) {
                    restore(current);
                }
            }
        }
        if (!refused.equals(problems)) {
            // logged when they change, not at every scan
            refused.forEach(p -> LOG.warn("Partner file refused: {}", p));
        }
        problems = List.copyOf(refused);
        warnings = List.copyOf(check.warnings());
        if (affiliationsPending || !started.isEmpty() || !replaced.isEmpty() || !removed.isEmpty()) {
            affiliationsPending = !publishAffiliations();
        }
        return new Report(started, replaced, removed, problems, warnings);
    }

    /** Stops and removes every partner's routes (the hub is stopping). */
    public synchronized void stopAll() {
        for (String id : List.copyOf(running.keySet())) {
            stop(id);
        }
    }

    /** An admin's stop: the partner's routes stop consuming; what arrives on its queues waits there. */
    public synchronized boolean suspend(String partnerId) throws Exception {
        Running current = running.get(partnerId);
        if (current == null) {
            return false;
        }
        routes.suspend(partnerId);
        running.put(partnerId, new Running(current.definition(), true));
        return true;
    }

    public synchronized boolean resume(String partnerId) throws Exception {
        Running current = running.get(partnerId);
        if (current == null) {
            return false;
        }
        routes.resume(partnerId);
        running.put(partnerId, new Running(current.definition(), false));
        return true;
    }

    /** The definition of a partner whose routes run (not stopped by an admin). */
    public Optional<PartnerDefinition> running(String partnerId) {
        Running current = running.get(partnerId);
        return current == null || current.stopped() ? Optional.empty() : Optional.of(current.definition());
    }

    /** The definition of a loaded partner, running or stopped. */
    public Optional<PartnerDefinition> definition(String partnerId) {
        return Optional.ofNullable(running.get(partnerId)).map(Running::definition);
    }

    public Map<String, Running> partners() {
        return Map.copyOf(running);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    public List<ConfigProblem> warnings() {
        return warnings;
    }

    private void stop(String partnerId) {
        removeRoutes(partnerId);
        running.remove(partnerId);
        LOG.info("Partner {} stopped", partnerId);
    }

    /** The partnerships of the partners running now; false when they must be tried again at the next reload. */
    private boolean publishAffiliations() {
        try {
            return affiliations
                    .synchronize(
                            running.values().stream().map(Running::definition).toList())
                    .complete();
        } catch (RuntimeException e) {
            LOG.warn("Partnerships could not be published: {}", e.getMessage());
            return false;
        }
    }

    /** The last good definition back in place when its replacement could not start. */
    private void restore(Running previous) {
        try {
            routes.start(previous.definition(), !previous.stopped());
        } catch (Exception e) {
            LOG.warn(
                    "Partner {}: previous routes could not start again either: {}",
                    previous.definition().id(),
                    e.getMessage());
            running.remove(previous.definition().id());
        }
    }

    private void removeRoutes(String partnerId) {
        try {
            routes.remove(partnerId);
        } catch (Exception e) {
            LOG.warn("Partner {}: routes did not stop cleanly: {}", partnerId, e.getMessage());
        }
    }

    private String routeIds(String partnerId) {
        return routes.routes(partnerId).stream()
                .map(r -> r.routeId() + " (" + r.state() + ")")
                .collect(Collectors.joining(", "));
    }

    private static Set<String> fileStems(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches(".*\\.ya?ml"))
                    .map(n -> n.substring(0, n.lastIndexOf('.')))
                    .collect(Collectors.toSet());
        } catch (java.io.IOException e) {
            return Set.of();
        }
    }
}
