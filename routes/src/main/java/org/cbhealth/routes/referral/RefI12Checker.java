package org.cbhealth.routes.referral;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.message.REF_I12;
import ca.uhn.hl7v2.model.v251.segment.PID;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.cbhealth.routes.hl7.Hl7Error;
import org.cbhealth.routes.hl7.Hl7v2RejectedException;

/**
 * Checks the content of a REF^I12 the hub cannot translate without: a PID segment, a real birth date in
 * PID-7, and valid national identifiers in PID-3 (the assigning authority's OID names the identifier system).
 * Every problem is one ERR of an {@code AE} answer, naming segment and field.
 */
public class RefI12Checker {

    private static final DateTimeFormatter HL7_DATE =
            DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);

    private final Function<String, Optional<String>> identifierSystemForOid;
    private final NationalIdentifierCheck identifierCheck;
    private final Supplier<LocalDate> today;

    public RefI12Checker(
            Function<String, Optional<String>> identifierSystemForOid,
            NationalIdentifierCheck identifierCheck,
            Supplier<LocalDate> today) {
        this.identifierSystemForOid = identifierSystemForOid;
        this.identifierCheck = identifierCheck;
        this.today = today;
    }

    public void check(REF_I12 referral) {
        List<Hl7Error> errors = new ArrayList<>();
        PID pid = referral.getPID();
        if (isEmpty(pid)) {
            errors.add(new Hl7Error(
                    "PID",
                    1,
                    0,
                    Hl7Error.SEGMENT_SEQUENCE_ERROR,
                    "PID segment is missing: a referral needs its patient"));
        } else {
            checkBirthDate(pid, errors);
            checkIdentifiers(pid, errors);
        }
        if (!errors.isEmpty()) {
            throw new Hl7v2RejectedException(Hl7v2RejectedException.AckCode.AE, errors);
        }
    }

    private void checkBirthDate(PID pid, List<Hl7Error> errors) {
        String value = pid.getDateTimeOfBirth().getTime().getValue();
        if (value == null || value.isBlank()) {
            errors.add(new Hl7Error("PID", 1, 7, Hl7Error.REQUIRED_FIELD_MISSING, "date of birth is required"));
            return;
        }
        String day = value.length() >= 8 ? value.substring(0, 8) : value;
        try {
            LocalDate born = LocalDate.parse(day, HL7_DATE);
            if (born.isAfter(today.get())) {
                errors.add(new Hl7Error(
                        "PID", 1, 7, Hl7Error.DATA_TYPE_ERROR, "date of birth " + value + " is in the future"));
            }
        } catch (DateTimeException e) {
            errors.add(new Hl7Error("PID", 1, 7, Hl7Error.DATA_TYPE_ERROR, "impossible date of birth " + value));
        }
    }

    private void checkIdentifiers(PID pid, List<Hl7Error> errors) {
        for (CX identifier : pid.getPatientIdentifierList()) {
            String oid = identifier.getAssigningAuthority().getUniversalID().getValue();
            String value = identifier.getIDNumber().getValue();
            if (oid == null || value == null) {
                continue;
            }
            identifierSystemForOid
                    .apply(oid)
                    .flatMap(system -> identifierCheck.problemWith(system, value))
                    .ifPresent(problem -> errors.add(new Hl7Error("PID", 1, 3, Hl7Error.DATA_TYPE_ERROR, problem)));
        }
    }

    private static boolean isEmpty(PID pid) {
        try {
            return pid.isEmpty();
        } catch (HL7Exception e) {
            return true;
        }
    }
}
