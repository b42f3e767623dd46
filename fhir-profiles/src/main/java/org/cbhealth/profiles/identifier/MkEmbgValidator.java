package org.cbhealth.profiles.identifier;

import org.cbhealth.profiles.CbhCanonical;

/** North Macedonian EMBG (ЕМБГ), checked as a {@link JmbgValidator unique master citizen number}. */
public final class MkEmbgValidator extends JmbgValidator {

    public MkEmbgValidator() {
        super(CbhCanonical.SID_MK_EMBG, "MK EMBG");
    }
}
