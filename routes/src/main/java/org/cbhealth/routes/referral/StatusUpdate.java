package org.cbhealth.routes.referral;

import java.util.Objects;

/**
 * A status change of a referral sent by a partner, whatever its format (JSON, FHIR Task, HL7 v2 RRI^I12, SOAP):
 * which referral, its new business status (a code of {@code CbhCanonical.CS_TASK_BUSINESS_STATUS}: received,
 * accepted, declined, scheduled, completed, cancelled), and what comes with it.
 *
 * @param referral the hub's referral number as delivered to the partner (identifier system {@code
 *     CbhCanonical.SID_HUB_REFERRAL}, the Task's logical id); null when {@code placerSystem}/{@code placerValue}
 *     name the referral instead
 * @param placerSystem identifier system of the referrer's own referral number, or null
 * @param placerValue the referrer's own referral number (RF1-6, applicationNumber), or null
 * @param status business status code
 * @param reason why (required for declined and cancelled)
 * @param scheduledStart the appointment, a FHIR dateTime (required for scheduled)
 * @param outcome the outcome document (expected with completed), or null
 * @param note free text for the other side, or null
 */
public record StatusUpdate(
        String referral,
        String placerSystem,
        String placerValue,
        String status,
        String reason,
        String scheduledStart,
        Outcome outcome,
        String note) {

    public StatusUpdate {
        Objects.requireNonNull(status, "status");
        if (referral == null && placerValue == null) {
            throw new IllegalArgumentException("a status update names its referral (hub number or placer number)");
        }
    }

    /** An outcome document: inline data (base64-decoded) or a URL the receiving side can fetch. */
    public record Outcome(String title, String contentType, byte[] data, String url) {}
}
