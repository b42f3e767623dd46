package org.cbhealth.routes.inbound;

import org.apache.camel.builder.RouteBuilder;
import org.cbhealth.routes.fhir.FhirResourceReader;
import org.cbhealth.routes.fhir.FhirResourceStore;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.partner.InboundParking;

/**
 * FHIR resources arriving as JMS messages: consume (transacted) → read the payload → parse → store.
 *
 * <p>The JMS session commits only after the resource is stored; a failure of the hub (database down)
 * rolls the message back onto its queue for the broker to redeliver with back-off. A message the sender
 * must fix is moved, in the same transaction, to the parked queue with the reason in
 * {@value #HEADER_PARK_REASON}.
 */
public class FhirResourceInboundRoute extends RouteBuilder {

    public static final String ROUTE_ID = "hub-fhir-inbound";
    public static final String HEADER_PARK_REASON = "CBHealthParkReason";
    public static final String HEADER_STORED_ID = "CBHealthStoredId";

    private final String inboundQueue;
    private final String parkedQueue;
    private final JmsPayloadReader payloadReader;
    private final FhirResourceReader resourceReader;
    private final FhirResourceStore store;

    public FhirResourceInboundRoute(
            String inboundQueue,
            String parkedQueue,
            JmsPayloadReader payloadReader,
            FhirResourceReader resourceReader,
            FhirResourceStore store) {
        this.inboundQueue = inboundQueue;
        this.parkedQueue = parkedQueue;
        this.payloadReader = payloadReader;
        this.resourceReader = resourceReader;
        this.store = store;
    }

    @Override
    public void configure() {
        onException(InvalidMessageException.class)
                .handled(true)
                .process(e -> InboundParking.mark(e, e.getIn().getBody()))
                .bean(payloadReader, "keepable")
                .log("Parking message ${header.JMSMessageID} from " + inboundQueue + " (invalid input)")
                .to("jms:queue:" + parkedQueue);

        from("jms:queue:" + inboundQueue + "?transacted=true&cacheLevelName=CACHE_CONSUMER&mapJmsMessage=false")
                .routeId(ROUTE_ID)
                .bean(payloadReader, "text")
                .bean(resourceReader, "read")
                .bean(store, "store")
                .setHeader(HEADER_STORED_ID, body())
                .log("Stored ${body} from " + inboundQueue);
    }
}
