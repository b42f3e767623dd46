package org.cbhealth.hub.idempotency;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Turns on the daily clean-up of {@link InboundMessages}. */
@Configuration
@EnableScheduling
public class IdempotencyConfig {}
