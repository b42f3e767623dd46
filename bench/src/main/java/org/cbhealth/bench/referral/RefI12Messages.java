package org.cbhealth.bench.referral;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The load generator's referrals: the BG→MK sample REF^I12 ({@code referral/ref-i12-bg-to-mk.hl7}) with a placer
 * number of its own in MSH-10, RF1-6 and OBR-2, and a patient of its own in PID-3 (EGN) and PID-7 (birth date).
 * Fields are set through HAPI HL7 v2's {@link Terser} on the parsed message, so everything else of the sample is
 * sent as it is.
 */
public final class RefI12Messages {

    /** The sample on the class path. */
    public static final String SAMPLE = "/referral/ref-i12-bg-to-mk.hl7";

    /** MSH-10 is at most 20 characters in HL7 v2.5.1. */
    static final int MAX_PLACER_LENGTH = 20;

    private static final DateTimeFormatter HL7_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    private final PipeParser parser;
    private final String template;

    public RefI12Messages(String template) {
        HapiContext hapi = new DefaultHapiContext();
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        this.parser = hapi.getPipeParser();
        this.template = template;
    }

    /** Reads the sample referral from the class path. */
    public static RefI12Messages fromSample() {
        try (InputStream in = RefI12Messages.class.getResourceAsStream(SAMPLE)) {
            if (in == null) {
                throw new IllegalStateException("sample referral " + SAMPLE + " is not on the class path");
            }
            return new RefI12Messages(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The placer number of the {@code index}-th referral of a run: {@code <prefix>-<index, six digits>}. */
    public static String placer(String prefix, int index) {
        String placer = prefix + "-" + String.format(Locale.ROOT, "%06d", index);
        if (placer.length() > MAX_PLACER_LENGTH) {
            throw new IllegalArgumentException(
                    "placer number " + placer + " is longer than MSH-10 allows (" + MAX_PLACER_LENGTH + ")");
        }
        return placer;
    }

    /** The sample with this placer number and this patient, segments separated by carriage returns. */
    public String referral(String placer, BgEgnGenerator.Person patient) {
        try {
            Message message = parser.parse(template);
            Terser terser = new Terser(message);
            terser.set("/MSH-10", placer);
            terser.set("/.RF1-6-1", placer);
            terser.set("/.OBR-2-1", placer);
            terser.set("/.PID-3(0)-1", patient.egn());
            terser.set("/.PID-7-1", HL7_DATE.format(patient.birthDate()));
            return parser.encode(message);
        } catch (HL7Exception e) {
            throw new IllegalStateException("the sample referral " + SAMPLE + " cannot be rewritten: " + e, e);
        }
    }
}
