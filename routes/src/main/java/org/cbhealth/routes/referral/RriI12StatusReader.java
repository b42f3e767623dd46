package org.cbhealth.routes.referral;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.ED;
import ca.uhn.hl7v2.model.v251.datatype.EI;
import ca.uhn.hl7v2.model.v251.datatype.RP;
import ca.uhn.hl7v2.model.v251.group.RRI_I12_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.RRI_I12_RESULTS_NOTES;
import ca.uhn.hl7v2.model.v251.message.RRI_I12;
import ca.uhn.hl7v2.model.v251.segment.NTE;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.model.v251.segment.RF1;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.hl7.Hl7Error;
import org.cbhealth.routes.hl7.Hl7v2Reader;
import org.cbhealth.routes.hl7.Hl7v2RejectedException;

/**
 * Reads a partner's status notice sent over MLLP, an HL7 v2.5.1 RRI^I12, into a {@link StatusUpdate}; the inverse of
 * the status notices of {@code Hl7ReferralWriter}.
 *
 * <ul>
 *   <li>Referral: RF1-6 when its assigning authority (EI-2) is {@code CBHEALTH} (the hub's referral number as the
 *       hub delivered it), else RF1-11 as a referral number of the sending partner ({@code
 *       CbhCanonical.partnerIdentifierSystem(partnerId, "referral")}).
 *   <li>Status: RF1-1 — HL7 table 0283 P → received, R → declined, A → accepted, or scheduled when RF1-7 gives the
 *       appointment; or one of the hub's business status codes (received, accepted, declined, scheduled, completed,
 *       cancelled; coding system {@code CBHTS}). RF1-1.3 is not checked.
 *   <li>Scheduled start: RF1-7, as a FHIR dateTime.
 *   <li>Reason and note: NTE segments, wherever they stand (after OBR, after OBX, at the end); comment type (NTE-4) 1R is the reason, the others the note. A declined or
 *       cancelled referral without a 1R comment takes all comments as its reason.
 *   <li>Outcome (completed only): the first OBX of type RP (the URL in RP-1, the MIME type from RP-3/RP-4) or ED
 *       (Base64 data in ED-5), titled by the text of OBX-3.
 * </ul>
 *
 * <p>A message that is not an RRI^I12 v2.5.1 is refused AR by {@link Hl7v2Reader}; a missing RF1, an unknown status,
 * no referral number, a scheduled status without RF1-7, an impossible RF1-7 date or undecodable outcome data are
 * refused AE, every problem one ERR naming segment and field.
 */
public class RriI12StatusReader {

    private static final String HUB_AUTHORITY = "CBHEALTH";
    private static final Set<String> HUB_STATUSES =
            Set.of("received", "accepted", "declined", "scheduled", "completed", "cancelled");
    private static final Pattern HL7_TS = Pattern.compile("\\d{8}(\\d{4}(\\d{2}(\\.\\d{1,4})?)?)?([+-]\\d{4})?");
    private static final DateTimeFormatter HL7_DATE =
            DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);

    private final Hl7v2Reader reader = new Hl7v2Reader(Set.of("RRI^I12"));

    /**
     * @param text the message as received (one MLLP frame)
     * @param partnerId the sending partner, whose referral number RF1-11 is when RF1-6 is not the hub's
     */
    public StatusUpdate read(String text, String partnerId) {
        return read((RRI_I12) reader.read(text), partnerId);
    }

    /** Reads a notice already parsed by an {@link Hl7v2Reader} that accepts RRI^I12. */
    public StatusUpdate read(RRI_I12 notice, String partnerId) {
        try {
            return update(notice, partnerId);
        } catch (HL7Exception e) {
            throw new Hl7v2RejectedException(
                    Hl7v2RejectedException.AckCode.AE,
                    List.of(new Hl7Error("MSH", 1, 0, Hl7Error.APPLICATION_INTERNAL_ERROR, e.getMessage())));
        }
    }

    private StatusUpdate update(RRI_I12 notice, String partnerId) throws HL7Exception {
        RF1 rf1 = notice.getRF1();
        if (rf1.isEmpty()) {
            throw refuse(List.of(new Hl7Error(
                    "RF1",
                    1,
                    0,
                    Hl7Error.SEGMENT_SEQUENCE_ERROR,
                    "RF1 segment is missing: a status notice needs the referral number and its status")));
        }
        List<Hl7Error> errors = new ArrayList<>();

        String referral = null;
        String placerSystem = null;
        String placerValue = null;
        EI originating = rf1.getOriginatingReferralIdentifier();
        Optional<String> hubNumber = text(originating.getEntityIdentifier().getValue());
        Optional<String> external = rf1.getExternalReferralIdentifierReps() > 0
                ? text(rf1.getExternalReferralIdentifier(0)
                        .getEntityIdentifier()
                        .getValue())
                : Optional.empty();
        if (hubNumber.isPresent()
                && HUB_AUTHORITY.equalsIgnoreCase(
                        strip(originating.getNamespaceID().getValue()))) {
            referral = hubNumber.get();
        } else if (external.isPresent()) {
            placerSystem = CbhCanonical.partnerIdentifierSystem(partnerId, "referral");
            placerValue = external.get();
        } else {
            errors.add(new Hl7Error(
                    "RF1",
                    1,
                    6,
                    Hl7Error.REQUIRED_FIELD_MISSING,
                    "no referral number: the hub's in RF1-6 (assigning authority CBHEALTH) or yours in RF1-11"));
        }

        String effective = strip(rf1.getEffectiveDate().getTime().getValue());
        String scheduledStart = null;
        if (effective != null) {
            scheduledStart = dateTime(effective);
            if (scheduledStart == null) {
                errors.add(new Hl7Error(
                        "RF1", 1, 7, Hl7Error.DATA_TYPE_ERROR, "impossible date/time " + effective + " in RF1-7"));
            }
        }

        String status = status(rf1.getReferralStatus(), effective != null, errors);
        if ("scheduled".equals(status) && effective == null) {
            errors.add(new Hl7Error(
                    "RF1",
                    1,
                    7,
                    Hl7Error.REQUIRED_FIELD_MISSING,
                    "a scheduled referral needs its appointment date and time in RF1-7"));
        }

        StatusUpdate.Outcome outcome = null;
        if ("completed".equals(status)) {
            outcome = outcome(notice, errors);
        }
        if (!errors.isEmpty()) {
            throw refuse(errors);
        }

        List<String> reasons = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (NTE nte : notes(notice)) {
            List<String> lines = new ArrayList<>();
            for (var comment : nte.getComment()) {
                text(comment.getValue()).ifPresent(lines::add);
            }
            if (!lines.isEmpty()) {
                boolean reason =
                        "1R".equals(strip(nte.getCommentType().getIdentifier().getValue()));
                (reason ? reasons : notes).add(String.join("\n", lines));
            }
        }
        if (reasons.isEmpty() && ("declined".equals(status) || "cancelled".equals(status))) {
            reasons.addAll(notes);
            notes.clear();
        }
        return new StatusUpdate(
                referral,
                placerSystem,
                placerValue,
                status,
                reasons.isEmpty() ? null : String.join("\n", reasons),
                "scheduled".equals(status) ? scheduledStart : null,
                outcome,
                notes.isEmpty() ? null : String.join("\n", notes));
    }

    /** The NTEs of the notice wherever they stand: after an OBR, after an OBX, or at the end. */
    private static List<NTE> notes(RRI_I12 notice) throws HL7Exception {
        List<NTE> notes = new ArrayList<>();
        for (RRI_I12_OBSERVATION observation : notice.getOBSERVATIONAll()) {
            notes.addAll(observation.getNTEAll());
            for (RRI_I12_RESULTS_NOTES result : observation.getRESULTS_NOTESAll()) {
                notes.addAll(result.getNTEAll());
            }
        }
        notes.addAll(notice.getNTEAll());
        return notes;
    }

    private static String status(CE code, boolean hasEffectiveDate, List<Hl7Error> errors) {
        String value = strip(code.getIdentifier().getValue());
        if (value == null) {
            errors.add(new Hl7Error("RF1", 1, 1, Hl7Error.REQUIRED_FIELD_MISSING, "RF1-1 (referral status) is empty"));
            return null;
        }
        String status =
                switch (value) {
                    case "P" -> "received";
                    case "A" -> hasEffectiveDate ? "scheduled" : "accepted";
                    case "R" -> "declined";
                    default -> {
                        String hub = value.toLowerCase(Locale.ROOT);
                        yield HUB_STATUSES.contains(hub) ? hub : null;
                    }
                };
        if (status == null) {
            errors.add(new Hl7Error(
                    "RF1",
                    1,
                    1,
                    Hl7Error.DATA_TYPE_ERROR,
                    "unknown referral status '" + value + "' in RF1-1: expected P, A or R (HL7 table 0283) or"
                            + " received, accepted, declined, scheduled, completed, cancelled (CBHTS)"));
        }
        return status;
    }

    private static StatusUpdate.Outcome outcome(RRI_I12 notice, List<Hl7Error> errors) throws HL7Exception {
        int obxSequence = 0;
        for (int i = 0; i < notice.getOBSERVATIONReps(); i++) {
            for (RRI_I12_RESULTS_NOTES result : notice.getOBSERVATION(i).getRESULTS_NOTESAll()) {
                OBX obx = result.getOBX();
                if (obx.isEmpty()) {
                    continue;
                }
                obxSequence++;
                if (obx.getObservationValueReps() == 0) {
                    continue;
                }
                String title = strip(obx.getObservationIdentifier().getText().getValue());
                Type data = obx.getObservationValue(0).getData();
                if (data instanceof RP rp && text(rp.getPointer().getValue()).isPresent()) {
                    return new StatusUpdate.Outcome(
                            title,
                            mimeType(
                                    rp.getTypeOfData().getValue(),
                                    rp.getSubtype().getValue()),
                            null,
                            strip(rp.getPointer().getValue()));
                }
                if (data instanceof ED ed && text(ed.getData().getValue()).isPresent()) {
                    try {
                        return new StatusUpdate.Outcome(
                                title,
                                mimeType(
                                        ed.getTypeOfData().getValue(),
                                        ed.getDataSubtype().getValue()),
                                Base64.getDecoder()
                                        .decode(ed.getData().getValue().replaceAll("\\s", "")),
                                null);
                    } catch (IllegalArgumentException e) {
                        errors.add(new Hl7Error(
                                "OBX",
                                obxSequence,
                                5,
                                Hl7Error.DATA_TYPE_ERROR,
                                "the outcome document in OBX-5 (ED) is not valid Base64: " + e.getMessage()));
                        return null;
                    }
                }
            }
        }
        return null;
    }

    /** RP-3/ED-2 type of data (HL7 table 0191) and RP-4/ED-3 subtype → a MIME type. */
    private static String mimeType(String typeOfData, String subtype) {
        String major =
                switch (typeOfData == null ? "" : typeOfData.strip().toUpperCase(Locale.ROOT)) {
                    case "IM" -> "image";
                    case "TEXT", "TX" -> "text";
                    case "AU" -> "audio";
                    case "MULTIPART" -> "multipart";
                    default -> "application";
                };
        String minor = subtype == null || subtype.isBlank()
                ? "octet-stream"
                : subtype.strip().toLowerCase(Locale.ROOT);
        return major + "/" + minor;
    }

    /** An HL7 TS ({@code yyyyMMdd[HHmm[ss[.S…]]][±zzzz]}) → a FHIR dateTime, or null when it is not a real one. */
    private static String dateTime(String hl7) {
        if (!HL7_TS.matcher(hl7).matches()) {
            return null;
        }
        try {
            LocalDate.parse(hl7.substring(0, 8), HL7_DATE);
            if (hl7.length() >= 12 && hl7.charAt(8) != '+' && hl7.charAt(8) != '-') {
                int hour = Integer.parseInt(hl7.substring(8, 10));
                int minute = Integer.parseInt(hl7.substring(10, 12));
                int second = hl7.length() >= 14 && Character.isDigit(hl7.charAt(12))
                        ? Integer.parseInt(hl7.substring(12, 14))
                        : 0;
                if (hour > 23 || minute > 59 || second > 59) {
                    return null;
                }
            }
            return RefI12Translator.dateTime(hl7).getValueAsString();
        } catch (DateTimeException | IllegalArgumentException | DataFormatException e) {
            return null;
        }
    }

    private static Hl7v2RejectedException refuse(List<Hl7Error> errors) {
        return new Hl7v2RejectedException(Hl7v2RejectedException.AckCode.AE, errors);
    }

    private static Optional<String> text(String value) {
        return Optional.ofNullable(strip(value));
    }

    private static String strip(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
