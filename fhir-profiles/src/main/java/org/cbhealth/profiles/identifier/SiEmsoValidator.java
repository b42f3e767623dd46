package org.cbhealth.profiles.identifier;

import org.cbhealth.profiles.CbhCanonical;

/** Slovenian EMŠO, checked as a {@link JmbgValidator unique master citizen number}. */
public final class SiEmsoValidator extends JmbgValidator {

    public SiEmsoValidator() {
        super(CbhCanonical.SID_SI_EMSO, "SI EMŠO");
    }
}
