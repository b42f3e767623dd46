package org.cbhealth.routes.referral.out;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.referral.ReferralPackage;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Task;

/**
 * The transport headers every outbound referral message carries, whatever its format, so that a partner (and the
 * hub's own delivery route) can tell a referral from a status notice and quote the hub's referral number without
 * parsing the body: {@value #MESSAGE_TYPE} ({@value #TYPE_REFERRAL} or {@value #TYPE_STATUS}), {@value #REFERRAL}
 * (the Task's logical id) and, on status notices, {@value #STATUS} (the Task's business status code).
 */
public final class OutboundHeaders {

    public static final String MESSAGE_TYPE = "CBHealthMessageType";
    public static final String REFERRAL = "CBHealthReferral";
    public static final String STATUS = "CBHealthStatus";

    public static final String TYPE_REFERRAL = "referral";
    public static final String TYPE_STATUS = "referral-status";

    private OutboundHeaders() {}

    /** Headers of a referral sent to its destination. */
    static Map<String, String> referral(ReferralPackage referral) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(MESSAGE_TYPE, TYPE_REFERRAL);
        headers.put(REFERRAL, referralNumber(referral));
        return headers;
    }

    /** Headers of a status notice. */
    static Map<String, String> status(ReferralPackage referral) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(MESSAGE_TYPE, TYPE_STATUS);
        headers.put(REFERRAL, referralNumber(referral));
        headers.put(STATUS, businessStatus(referral));
        return headers;
    }

    /** The hub's referral number: the Task's logical id. */
    static String referralNumber(ReferralPackage referral) {
        String id = referral.task().getIdElement().getIdPart();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("the referral's Task has no logical id: it was not read from the store");
        }
        return id;
    }

    /** The Task's version at the hub, or null when the Task carries none. */
    static String version(ReferralPackage referral) {
        Task task = referral.task();
        String version = task.getIdElement().getVersionIdPart();
        if (version == null && task.getMeta().hasVersionId()) {
            version = task.getMeta().getVersionId();
        }
        return version;
    }

    /** The Task's business status code ({@code CbhCanonical.CS_TASK_BUSINESS_STATUS}). */
    static String businessStatus(ReferralPackage referral) {
        return referral.task().getBusinessStatus().getCoding().stream()
                .filter(c -> CbhCanonical.CS_TASK_BUSINESS_STATUS.equals(c.getSystem()))
                .map(Coding::getCode)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Task/" + referralNumber(referral)
                        + " has no business status of " + CbhCanonical.CS_TASK_BUSINESS_STATUS));
    }
}
