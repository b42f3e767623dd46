package org.cbhealth.hub.partner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Integrators' own routes: Camel YAML DSL files (the format Kaoto edits) in {@code cbhealth.partners.routes-directory}.
 * A new file's routes are added, a changed file's routes replaced, a removed file's routes stopped and removed.
 * A file that does not load is reported and, if an earlier version was running, that version is loaded again.
 * Ids starting with {@code partner-} or {@code hub-} are the hub's and are refused.
 */
@Component
public class CustomRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(CustomRoutes.class);

    /** A loaded file: its text and the ids of the routes it added. */
    public record Loaded(String content, List<String> routeIds) {}

    private final CamelContext camel;
    private final PartnerProperties properties;
    private final Map<String, Loaded> loaded = new LinkedHashMap<>();
    private volatile List<ConfigProblem> problems = List.of();

    public CustomRoutes(CamelContext camel, PartnerProperties properties) {
        this.camel = camel;
        this.properties = properties;
    }

    public synchronized void reload() {
        Map<String, String> files = read(properties.routesDirectory());
        List<ConfigProblem> found = new ArrayList<>();
        for (String name : List.copyOf(loaded.keySet())) {
            if (!files.containsKey(name)) {
                remove(loaded.remove(name));
                LOG.info("Custom routes of {} removed", name);
            }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Loaded previous = loaded.get(file.getKey());
            if (previous != null && previous.content().equals(file.getValue())) {
                continue;
            }
            if (previous != null) {
                remove(previous);
                loaded.remove(file.getKey());
            }
            try {
                loaded.put(file.getKey(), new Loaded(file.getValue(), load(file.getKey(), file.getValue())));
                LOG.info(
                        "Custom routes of {} loaded: {}",
                        file.getKey(),
                        loaded.get(file.getKey()).routeIds());
            } catch (Exception e) {
                found.add(new ConfigProblem(file.getKey(), "(routes)", "not loaded: " + e.getMessage()));
                LOG.warn("Custom routes of {} not loaded: {}", file.getKey(), e.getMessage());
                if (previous != null) {
                    try {
                        loaded.put(
                                file.getKey(), new Loaded(previous.content(), load(file.getKey(), previous.content())));
                    } catch (Exception again) {
                        LOG.warn(
                                "Earlier version of {} could not be loaded again: {}",
                                file.getKey(),
                                again.getMessage());
                    }
                }
            }
        }
        problems = List.copyOf(found);
    }

    public synchronized Map<String, Loaded> loaded() {
        return Map.copyOf(loaded);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private List<String> load(String name, String content) throws Exception {
        Set<String> before = routeIds();
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("custom-routes/" + name, content));
        } catch (Exception e) {
            remove(new Loaded(content, added(before)));
            throw e;
        }
        List<String> ids = added(before);
        for (String id : ids) {
            if (id.startsWith("partner-") || id.startsWith("hub-")) {
                remove(new Loaded(content, ids));
                throw new IllegalArgumentException(
                        "route id '" + id + "' is reserved (partner-* and hub-* are the hub's)");
            }
        }
        return ids;
    }

    private List<String> added(Set<String> before) {
        List<String> ids = new ArrayList<>(routeIds());
        ids.removeAll(before);
        return ids;
    }

    private void remove(Loaded file) {
        for (String id : file.routeIds()) {
            try {
                camel.getRouteController()
                        .stopRoute(id, properties.stopTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                camel.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("Custom route {} did not stop cleanly: {}", id, e.getMessage());
            }
        }
    }

    private Set<String> routeIds() {
        Set<String> ids = new HashSet<>();
        for (Route route : camel.getRoutes()) {
            ids.add(route.getRouteId());
        }
        return ids;
    }

    private static Map<String, String> read(Path directory) {
        Map<String, String> files = new LinkedHashMap<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : list.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
                    .sorted()
                    .toList()) {
                files.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            LOG.warn("Custom routes directory {} cannot be read: {}", directory, e.getMessage());
        }
        return files;
    }
}
