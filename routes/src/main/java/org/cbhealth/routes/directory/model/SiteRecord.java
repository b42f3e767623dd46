package org.cbhealth.routes.directory.model;

import java.util.List;
import java.util.Objects;

/**
 * An organization unit or site of the partner: a hospital building, a campus, a polyclinic (FHIR {@code
 * Location}, profile {@code cbh-location}).
 *
 * @param code the partner's code for the site: the local id of its Location
 * @param position where the record is in the partner's message (a JSON pointer such as {@code /sites/0}, an
 *     XPath), for problem reports
 * @param names the site's name in one or more languages, the partner's own language first
 * @param address the postal address; its country is required
 * @param geo the coordinates, or null
 * @param partOfCode the code of the site this one is part of (a ward within a building), or null
 * @param telecom phone, e-mail, …
 */
public record SiteRecord(
        String code,
        String position,
        List<LocalizedText> names,
        PostalAddress address,
        GeoPoint geo,
        String partOfCode,
        List<Telecom> telecom) {

    public SiteRecord {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(address, "address");
        names = List.copyOf(names);
        telecom = List.copyOf(telecom);
    }
}
