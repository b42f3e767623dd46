package org.cbhealth.routes.fhirpoll;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.client.apache.ApacheHttpRequest;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.gclient.IHistoryTyped;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.List;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.HttpRequestBase;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;

/**
 * Reads a partner's directory changes as IHE mCSD Update (ITI-91) does: for each resource type, {@code
 * GET <base>/<Type>/_history?_since=<since>&_count=<pageSize>}, following every {@code next} link, with HAPI's
 * {@link IGenericClient} and the channel's own connect and read timeouts.
 *
 * <p>The {@code _since} of the next poll is the partner server's time when this one began — the first page's
 * {@code Bundle.meta.lastUpdated}, else its HTTP {@code Date} header, else the hub's clock — minus the overlap, so
 * that changes the server was still committing then are read again rather than missed; it never goes back before
 * the {@code _since} of this poll. A poll that would need more than {@code maxPages} pages fails as a whole.
 */
public class FhirHistoryReader {

    private final ApacheRestfulClientFactory clients;
    private final Clock clock;

    public FhirHistoryReader(FhirContext fhirContext, Clock clock) {
        // asks the partner's server nothing but its history (no CapabilityStatement first)
        this.clients = new ApacheRestfulClientFactory(fhirContext);
        this.clients.setServerValidationMode(ServerValidationModeEnum.NEVER);
        this.clock = clock;
    }

    /**
     * @param since the {@code _since} to ask for, or null to read the whole history
     * @throws HistoryTooLongException when the history needs more pages than the settings allow
     * @throws RuntimeException when the partner's server cannot be reached or answers with an error
     */
    public HistoryRun read(FhirPollSettings settings, Instant since) {
        IGenericClient client = clients.newGenericClient(settings.baseUrl());
        client.registerInterceptor(new Timeouts(settings));
        ServerDate serverDate = new ServerDate();
        client.registerInterceptor(serverDate);
        Bundle history = new Bundle().setType(Bundle.BundleType.HISTORY);
        Instant began = null;
        int pages = 0;
        for (String type : settings.resourceTypes()) {
            IHistoryTyped<Bundle> query =
                    client.history().onType(type).returnBundle(Bundle.class).count(settings.pageSize());
            if (since != null) {
                query = query.since(zulu(since));
            }
            Instant asked = clock.instant();
            Bundle page = query.execute();
            pages++;
            Instant serverTime = page.getMeta().hasLastUpdated()
                    ? page.getMeta().getLastUpdated().toInstant()
                    : serverDate.last() != null ? serverDate.last() : asked;
            began = began == null || serverTime.isBefore(began) ? serverTime : began;
            history.getEntry().addAll(page.getEntry());
            while (page.getLink(Bundle.LINK_NEXT) != null) {
                if (pages >= settings.maxPages()) {
                    throw new HistoryTooLongException(settings.maxPages(), since);
                }
                page = client.loadPage().next(page).execute();
                pages++;
                history.getEntry().addAll(page.getEntry());
            }
        }
        Instant next = began.minus(settings.overlap());
        if (since != null && next.isBefore(since)) {
            next = since;
        }
        return new HistoryRun(history, since, next, pages);
    }

    /** The instant as {@code 2026-11-25T13:26:53.918Z}: with a time zone of its own, never one that needs escaping. */
    private static InstantType zulu(Instant instant) {
        InstantType value = new InstantType(Date.from(instant), TemporalPrecisionEnum.MILLI);
        value.setTimeZoneZulu(true);
        return value;
    }

    /** A history longer than a poll may read: nothing of it is taken, the checkpoint stays. */
    public static class HistoryTooLongException extends RuntimeException {
        public HistoryTooLongException(int maxPages, Instant since) {
            super("the partner's history " + (since == null ? "" : "since " + since + " ") + "has more than maxPages ("
                    + maxPages + ") pages; nothing was taken: raise maxPages or pageSize");
        }
    }

    /**
     * The channel's connect and read timeouts on each of its requests. HAPI's client builds every request with the
     * HTTP client of its {@link FhirContext}'s factory, whose timeouts all clients share; a request's own
     * {@link RequestConfig} takes precedence.
     */
    private static final class Timeouts implements IClientInterceptor {
        private final RequestConfig config;

        Timeouts(FhirPollSettings settings) {
            int connect = Math.toIntExact(settings.connectTimeout().toMillis());
            this.config = RequestConfig.custom()
                    .setConnectTimeout(connect)
                    .setConnectionRequestTimeout(connect)
                    .setSocketTimeout(Math.toIntExact(settings.readTimeout().toMillis()))
                    .build();
        }

        @Override
        public void interceptRequest(IHttpRequest request) {
            if (!(request instanceof ApacheHttpRequest apache)) {
                throw new IllegalStateException("the FHIR client is not HAPI's Apache HTTP client: the channel's"
                        + " timeouts cannot be set on " + request.getClass().getName());
            }
            HttpRequestBase http = apache.getApacheRequest();
            http.setConfig(
                    http.getConfig() == null
                            ? config
                            : RequestConfig.copy(http.getConfig())
                                    .setConnectTimeout(config.getConnectTimeout())
                                    .setConnectionRequestTimeout(config.getConnectionRequestTimeout())
                                    .setSocketTimeout(config.getSocketTimeout())
                                    .build());
        }

        @Override
        public void interceptResponse(IHttpResponse response) {
            // timeouts concern requests only
        }
    }

    /** The HTTP {@code Date} header of the latest answer: the partner server's clock. */
    private static final class ServerDate implements IClientInterceptor {
        private Instant last;

        @Override
        public void interceptRequest(IHttpRequest request) {
            last = null;
        }

        @Override
        public void interceptResponse(IHttpResponse response) {
            List<String> dates = response.getHeaders("Date");
            if (dates != null && !dates.isEmpty()) {
                try {
                    last = ZonedDateTime.parse(dates.get(0), DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant();
                } catch (DateTimeParseException e) {
                    last = null;
                }
            }
        }

        Instant last() {
            return last;
        }
    }
}
