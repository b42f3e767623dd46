package org.cbhealth.routes.referral.out;

import org.cbhealth.routes.referral.ReferralPackage;

/**
 * Writes referrals and status notices in one partner format (FHIR, HL7 v2, SOAP). No Camel, no I/O: the hub
 * chooses the writer from the receiving partner's outbound channel kind.
 */
public interface ReferralWriter {

    /** The referral for its destination (the Task's owner). */
    OutboundMessage referral(ReferralPackage referral);

    /** The referral's current status for the other side (usually the referrer), from the Task's business status. */
    OutboundMessage status(ReferralPackage referral);
}
