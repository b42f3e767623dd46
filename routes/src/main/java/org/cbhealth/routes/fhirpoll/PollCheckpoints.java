package org.cbhealth.routes.fhirpoll;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the {@code fhir-poll} channels keep, per partner and channel, the {@code _since} of their next poll and
 * what their last poll did. The hub keeps them in its database, so a restart resumes where the last complete poll
 * ended.
 */
public interface PollCheckpoints {

    /** The {@code _since} of the channel's next poll; empty before its first complete poll. */
    Optional<Instant> since(String partnerId, String channel);

    /** After a poll whose changes are stored (or kept, parked): the next {@code _since} and what the poll did. */
    void advance(String partnerId, String channel, Instant since, String result);

    /** After a poll that failed: the checkpoint stays where it was; {@code result} says why (no message content). */
    void failed(String partnerId, String channel, String result);
}
