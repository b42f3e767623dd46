package org.cbhealth.hub.partner;

import java.util.List;
import java.util.Map;

/**
 * One partner as its integrator configured it (one YAML file per partner, see the README): identity,
 * where its credentials are (never their value), the public keys its systems sign their token requests with, the channels it sends on, the channel the hub sends to it,
 * which ConceptMaps translate its codes, and with which partners it may exchange referrals.
 */
public record PartnerDefinition(
        String id,
        Map<String, String> names,
        String country,
        List<OrganizationIdentifier> identifiers,
        Credentials credentials,
        List<InboundChannel> inbound,
        OutboundChannel outbound,
        List<String> codeMappings,
        List<String> referralPartners,
        Authentication authentication) {

    /**
     * How the partner's systems prove who they are on {@code /fhir} and its REST and SOAP channels: OAuth 2.0 client
     * credentials with a JWT client assertion signed by one of these public keys (SMART Backend Services); the
     * client id is the partner id. Null when the partner calls no HTTP endpoint of the hub.
     *
     * @param jwks the public keys as a JWK Set, as read from the file (inline) or from {@code jwks-file}
     * @param jwksFile the absolute path the keys were read from, or null when inline
     */
    public record Authentication(String jwks, String jwksFile) {}

    /** An identifier of the partner organization in a national registry. */
    public record OrganizationIdentifier(String system, String value) {}

    /** Where the partner's secret is: an environment variable or a secret file; exactly one. */
    public record Credentials(String env, String file) {}

    /** A channel the partner sends on; its settings depend on the kind. */
    public record InboundChannel(
            String name, ChannelKind kind, MessageFormat format, Flow flow, Map<String, Object> settings) {}

    /** The channel the hub sends to the partner on. */
    public record OutboundChannel(OutboundKind kind, Map<String, Object> settings) {}

    /** Inbound channel kinds. */
    public enum ChannelKind {
        REST("rest"),
        JMS("jms"),
        MLLP("mllp"),
        SOAP("soap"),
        FILE("file"),
        FHIR_POLL("fhir-poll"),
        SOAP_POLL("soap-poll");

        final String yaml;

        ChannelKind(String yaml) {
            this.yaml = yaml;
        }
    }

    /** Message formats. */
    public enum MessageFormat {
        HL7V2("hl7v2"),
        JSON("json"),
        CSV("csv"),
        XML("xml"),
        FHIR("fhir");

        final String yaml;

        MessageFormat(String yaml) {
            this.yaml = yaml;
        }
    }

    /** What a channel carries. */
    public enum Flow {
        DIRECTORY("directory"),
        REFERRAL("referral"),
        REFERRAL_STATUS("referral-status");

        final String yaml;

        Flow(String yaml) {
            this.yaml = yaml;
        }
    }

    /** Outbound channel kinds. */
    public enum OutboundKind {
        JMS("jms"),
        FHIR_REST("fhir-rest"),
        SOAP("soap"),
        MLLP("mllp");

        final String yaml;

        OutboundKind(String yaml) {
            this.yaml = yaml;
        }
    }
}
