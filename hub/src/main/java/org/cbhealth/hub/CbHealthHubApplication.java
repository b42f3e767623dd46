package org.cbhealth.hub;

import java.nio.file.Path;
import java.util.List;
import org.cbhealth.hub.messaging.BrokerSecurityCommand;
import org.cbhealth.hub.partner.ConfigCheckCommand;
import org.cbhealth.hub.partner.NewKeyCommand;
import org.cbhealth.hub.partner.PartnerTokenCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Entry point of the CBHealth Hub: one Spring Boot application with the FHIR store, broker and routes; with
 * {@code --check-config DIR} it only checks a directory of partner files and exits; with
 * {@code --broker-security DIR} it prints an external broker's permissions for those partners and exits; with
 * {@code --partner-token ID} it only gets an access token for a partner from a running hub, prints it and exits;
 * with {@code --new-key FILE} it only writes a new private key and prints its public JWK Set.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CbHealthHubApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(ConfigCheckCommand.OPTION)) {
            if (args.length != 2) {
                System.err.println("usage: java -jar cbhealth-hub.jar " + ConfigCheckCommand.OPTION + " DIR");
                System.exit(2);
            }
            // the check's report is the only output: library start-up chatter stays out of it
            LoggingSystem logging = LoggingSystem.get(CbHealthHubApplication.class.getClassLoader());
            logging.beforeInitialize();
            logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
            System.exit(ConfigCheckCommand.run(Path.of(args[1]), System.out));
        }
        if (args.length > 0 && args[0].equals(PartnerTokenCommand.OPTION)) {
            // the token is the only output (for TOKEN=$(...)): no Spring, no logging
            System.exit(PartnerTokenCommand.run(
                    List.of(args).subList(1, args.length), System::getenv, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals(NewKeyCommand.OPTION)) {
            System.exit(NewKeyCommand.run(List.of(args).subList(1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals(BrokerSecurityCommand.OPTION)) {
            if (args.length < 2 || args.length > 3) {
                System.err.println(
                        "usage: java -jar cbhealth-hub.jar " + BrokerSecurityCommand.OPTION + " DIR [HUB_ROLE]");
                System.exit(2);
            }
            LoggingSystem logging = LoggingSystem.get(CbHealthHubApplication.class.getClassLoader());
            logging.beforeInitialize();
            logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
            String hubRole = args.length == 3 ? args[2] : BrokerSecurityCommand.DEFAULT_HUB_ROLE;
            System.exit(BrokerSecurityCommand.run(Path.of(args[1]), hubRole, System.out));
        }
        SpringApplication.run(CbHealthHubApplication.class, args);
    }
}
