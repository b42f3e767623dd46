package org.cbhealth.hub.partner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * directory, the directory is created with the demo partners, each with a key pair and a broker secret of its own
 * ({@link DemoPartnerCredentials}).
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
            seedDemoPartners(properties.directory(), dataDirectory);
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

    private static void seedDemoPartners(Path directory, Path dataDirectory) throws IOException {
        Files.createDirectories(directory);
        DemoPartnerCredentials credentials = new DemoPartnerCredentials(dataDirectory);
        Resource[] demos = new PathMatchingResourcePatternResolver().getResources("classpath:demo-partners/*.yaml");
        for (Resource demo : demos) {
            String file = demo.getFilename();
            String id = file.substring(0, file.length() - ".yaml".length());
            try (InputStream in = demo.getInputStream()) {
                String yaml = credentials.provision(id, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                // written beside and moved in, so a scan never reads half a file
                Path temp = directory.resolve("." + file + ".part");
                Files.writeString(temp, yaml, StandardCharsets.UTF_8);
                Files.move(temp, directory.resolve(file), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        LOG.info("Created the partner directory {} with {} demo partners", directory, demos.length);
        // once, at first start: where a demo user finds what the demo partners call the hub with (no secret here)
        LOG.info(
                "Demo partners' private keys are in {} and their broker passwords in {}; get a partner's access"
                        + " token with: java -jar cbhealth-hub.jar {} <partner-id> --key {}/<partner-id>.jwk",
                credentials.keysFolder(),
                credentials.secretsFolder(),
                PartnerTokenCommand.OPTION,
                credentials.keysFolder());
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
