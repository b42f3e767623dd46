package org.cbhealth.routes.directory.model;

import java.math.BigDecimal;
import java.util.Objects;

/** WGS84 coordinates of a site, in decimal degrees as the partner sent them (FHIR {@code Location.position}). */
public record GeoPoint(BigDecimal latitude, BigDecimal longitude) {

    public GeoPoint {
        Objects.requireNonNull(latitude, "latitude");
        Objects.requireNonNull(longitude, "longitude");
    }
}
