package org.cbhealth.routes.directory.model;

import java.util.List;
import java.util.Objects;

/**
 * A technical endpoint through which the partner is reached (FHIR {@code Endpoint}, profile {@code cbh-endpoint}).
 *
 * @param code the partner's code for the endpoint: the local id of its Endpoint
 * @param position where the record is in the partner's message, for problem reports
 * @param name a name for people, or null
 * @param connectionType the protocol; a code of {@code
 *     http://terminology.hl7.org/CodeSystem/endpoint-connection-type} when its system is null ({@code
 *     hl7-fhir-rest}, {@code hl7v2-mllp}, …)
 * @param address the URL or URN
 * @param payloadTypes what is sent there; at least one
 * @param payloadMimeTypes MIME types, e.g. {@code application/fhir+json}
 */
public record EndpointRecord(
        String code,
        String position,
        String name,
        Code connectionType,
        String address,
        List<Code> payloadTypes,
        List<String> payloadMimeTypes) {

    public EndpointRecord {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(connectionType, "connectionType");
        Objects.requireNonNull(address, "address");
        payloadTypes = List.copyOf(payloadTypes);
        payloadMimeTypes = List.copyOf(payloadMimeTypes);
    }
}
