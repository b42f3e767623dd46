package org.cbhealth.hub.partner;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where integrators' configuration lives ({@code cbhealth.partners.*}).
 *
 * @param directory one YAML file per partner; watched, so adding, changing or removing a file takes effect
 *     without a restart
 * @param seedDemo when the directory does not exist at start, create it with the demo partners
 * @param routesDirectory Camel YAML DSL files (the format Kaoto edits) with integrators' own routes; watched too
 * @param scanInterval how often both directories are checked for changes
 * @param stopTimeout how long stopping a partner's route waits for its in-flight messages
 */
@Validated
@ConfigurationProperties(prefix = "cbhealth.partners")
public record PartnerProperties(
        @NotNull Path directory,
        boolean seedDemo,
        @NotNull Path routesDirectory,
        @NotNull Duration scanInterval,
        @NotNull Duration stopTimeout) {}
