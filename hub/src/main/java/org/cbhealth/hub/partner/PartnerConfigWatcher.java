package org.cbhealth.hub.partner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Loads the partners and the custom routes once the hub has started, then checks both directories every
 * {@code cbhealth.partners.scan-interval} and applies what changed. Polling (not file-system events) so that it
 * works the same on mounted volumes, where events are not delivered. On first start without a partner
 * directory, the directory is created with the demo partners.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
public class PartnerConfigWatcher implements ApplicationRunner, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerConfigWatcher.class);

    private final PartnerProperties properties;
    private final PartnerRegistry registry;
    private final CustomRoutes customRoutes;
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "cbh-config-watch");
        thread.setDaemon(true);
        return thread;
    });

    private final Path dataDirectory;

    public PartnerConfigWatcher(
            PartnerProperties properties,
            PartnerRegistry registry,
            CustomRoutes customRoutes,
            @org.springframework.beans.factory.annotation.Value("${cbhealth.data-dir}") Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        this.properties = properties;
        this.registry = registry;
        this.customRoutes = customRoutes;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (properties.seedDemo() && !Files.exists(properties.directory())) {
            seedDemoPartners(properties.directory());
            seedDemoExports(dataDirectory.resolve("inbox"));
        }
        Files.createDirectories(properties.routesDirectory());
        scan();
        long interval = properties.scanInterval().toMillis();
        scanner.scheduleWithFixedDelay(this::scan, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** One pass over both directories; also what the admin API's reload calls. */
    public synchronized void scan() {
        try {
            registry.reload();
            customRoutes.reload();
        } catch (RuntimeException e) {
            LOG.error("Configuration scan failed: {}", e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        scanner.shutdownNow();
    }

    private static void seedDemoPartners(Path directory) throws IOException {
        Files.createDirectories(directory);
        Resource[] demos = new PathMatchingResourcePatternResolver().getResources("classpath:demo-partners/*.yaml");
        for (Resource demo : demos) {
            try (InputStream in = demo.getInputStream()) {
                Files.copy(in, directory.resolve(demo.getFilename()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        LOG.info("Created the partner directory {} with {} demo partners", directory, demos.length);
    }

    /** The demo partners' first department exports, dropped in their inboxes so the catalogue has content. */
    private static void seedDemoExports(Path inbox) throws IOException {
        Resource[] exports = new PathMatchingResourcePatternResolver().getResources("classpath:demo-directory/*/*.csv");
        for (Resource export : exports) {
            String partner =
                    Path.of(export.getURL().getPath()).getParent().getFileName().toString();
            Path folder = Files.createDirectories(inbox.resolve(partner));
            Path temp = folder.resolve("." + export.getFilename() + ".part");
            try (InputStream in = export.getInputStream()) {
                Files.copy(in, temp);
            }
            Files.move(temp, folder.resolve(export.getFilename()));
        }
        LOG.info("Dropped {} demo department export(s) in {}", exports.length, inbox);
    }
}
