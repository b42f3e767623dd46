package org.cbhealth.routes.partner;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.throttling.ThrottlingExceptionRoutePolicy;

/**
 * The circuit breaker on a delivery route's consumer: Camel's {@link ThrottlingExceptionRoutePolicy} (after
 * {@code failureThreshold} failed deliveries within {@code failureWindow} the consumer is suspended, so the
 * partner's queue keeps its messages instead of spending their delivery attempts), with two changes:
 *
 * <ul>
 *   <li>the pause before a probe grows: {@code halfOpenAfter} after opening, doubled after each failed probe up to
 *       {@code maxHalfOpenAfter}, back to the first pause once closed;
 *   <li>a probe that succeeds closes the breaker. (The policy as shipped still counts the failures that opened it
 *       while they are inside the failure window, and would open again on a successful probe.)
 * </ul>
 *
 * <p>A route stopped (an admin's stop, a partner file changed or removed) is never resumed by a pending probe;
 * when it starts again its breaker starts closed.
 *
 * <p>A probe is one delivery: the consumer is resumed and the head of the queue is tried. Only unhandled failures
 * count; a receiver's refusal is parked (handled), which proves the receiver is up.
 */
public class DeliveryBreaker extends ThrottlingExceptionRoutePolicy {

    /** The states the admin API shows. */
    public static final String CLOSED = "closed";

    public static final String OPEN = "open";
    public static final String HALF_OPEN = "half-open";

    private final long firstHalfOpenAfter;
    private final long maxHalfOpenAfter;
    private final AtomicBoolean lastExchangeSucceeded = new AtomicBoolean();
    private volatile boolean routeStopped;

    public DeliveryBreaker(
            int failureThreshold, long failureWindowMillis, long halfOpenAfterMillis, long maxHalfOpenAfterMillis) {
        super(failureThreshold, failureWindowMillis, halfOpenAfterMillis, null);
        this.firstHalfOpenAfter = halfOpenAfterMillis;
        this.maxHalfOpenAfter = Math.max(halfOpenAfterMillis, maxHalfOpenAfterMillis);
    }

    /** {@value #CLOSED}, {@value #OPEN} or {@value #HALF_OPEN}. */
    public String state() {
        return switch (getStateAsString()) {
            case "opened" -> OPEN;
            case "half opened" -> HALF_OPEN;
            default -> CLOSED;
        };
    }

    @Override
    public void onStart(Route route) {
        routeStopped = false;
        if (!CLOSED.equals(state())) {
            closeCircuit(route);
        }
        super.onStart(route);
    }

    @Override
    public void onStop(Route route) {
        routeStopped = true;
        cancelProbe();
        super.onStop(route);
    }

    @Override
    public void onRemove(Route route) {
        routeStopped = true;
        cancelProbe();
        super.onRemove(route);
    }

    /** The pending probe's timer (a thread of its own) goes with the route. */
    private void cancelProbe() {
        try {
            super.doStop();
        } catch (Exception e) {
            throw new IllegalStateException("could not cancel the breaker's probe", e);
        }
    }

    @Override
    protected void halfOpenCircuit(Route route) {
        if (!routeStopped) {
            super.halfOpenCircuit(route);
        }
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        lastExchangeSucceeded.set(exchange == null || exchange.getException() == null);
        super.onExchangeDone(route, exchange);
    }

    @Override
    protected boolean isThresholdExceeded() {
        if (HALF_OPEN.equals(state()) && lastExchangeSucceeded.get()) {
            return false;
        }
        return super.isThresholdExceeded();
    }

    @Override
    protected void openCircuit(Route route) {
        if (HALF_OPEN.equals(state())) {
            setHalfOpenAfter(Math.min(getHalfOpenAfter() * 2, maxHalfOpenAfter));
        }
        super.openCircuit(route);
    }

    @Override
    protected void closeCircuit(Route route) {
        setHalfOpenAfter(firstHalfOpenAfter);
        super.closeCircuit(route);
    }
}
