package org.cbhealth.profiles.identifier;

import org.cbhealth.profiles.CbhCanonical;

/** Lithuanian asmens kodas, checked as a {@link BalticPersonalCodeValidator Baltic personal code}. */
public final class LtAsmensKodasValidator extends BalticPersonalCodeValidator {

    public LtAsmensKodasValidator() {
        super(CbhCanonical.SID_LT_ASMENS_KODAS, "LT asmens kodas");
    }
}
