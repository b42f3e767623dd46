package org.cbhealth.hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the CBHealth Hub: one Spring Boot application with the FHIR store, broker and routes. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CbHealthHubApplication {

    public static void main(String[] args) {
        SpringApplication.run(CbHealthHubApplication.class, args);
    }
}
