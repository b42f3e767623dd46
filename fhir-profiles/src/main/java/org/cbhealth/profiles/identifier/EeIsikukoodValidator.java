package org.cbhealth.profiles.identifier;

import org.cbhealth.profiles.CbhCanonical;

/** Estonian isikukood, checked as a {@link BalticPersonalCodeValidator Baltic personal code}. */
public final class EeIsikukoodValidator extends BalticPersonalCodeValidator {

    public EeIsikukoodValidator() {
        super(CbhCanonical.SID_EE_ISIKUKOOD, "EE isikukood");
    }
}
