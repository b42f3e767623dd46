package org.cbhealth.routes.referral;

import java.util.Optional;

/** Checks a national personal identifier of a given identifier system; empty when it is valid. */
@FunctionalInterface
public interface NationalIdentifierCheck {

    Optional<String> problemWith(String system, String value);
}
