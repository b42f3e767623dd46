package org.cbhealth.bench.plainhapi;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A plain HAPI FHIR JPA server (R4) at {@code /fhir} on PostgreSQL: the yardstick the ingestion benchmark holds the
 * hub's {@code /fhir} against. It has nothing of the hub's (no profile validation, no referral workflow, no routes,
 * no broker, no security), so the difference in throughput is what the hub adds to HAPI.
 */
@SpringBootApplication
public class PlainHapiApplication {

    public static void main(String[] args) {
        SpringApplication.run(PlainHapiApplication.class, args);
    }
}
