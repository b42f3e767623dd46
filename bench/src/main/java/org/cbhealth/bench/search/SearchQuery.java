package org.cbhealth.bench.search;

/**
 * One search the benchmark sends: its type (the row of the report), the query string after
 * {@code /fhir/HealthcareService?}, and how many HealthcareServices match it in the generated directory.
 *
 * @param type the kind of search, e.g. "specialty"
 * @param query the query string, URL-encoded, without the page size
 * @param expectedMatches HealthcareServices the generator made that match
 * @param countable whether {@code _summary=count} of the same query must give {@code expectedMatches} (false when
 *     the query carries {@code _include}, which a count ignores anyway)
 */
public record SearchQuery(String type, String query, long expectedMatches, boolean countable) {

    /** Matches on the first page of {@code pageSize}. */
    public long expectedOnFirstPage(int pageSize) {
        return Math.min(pageSize, expectedMatches);
    }
}
