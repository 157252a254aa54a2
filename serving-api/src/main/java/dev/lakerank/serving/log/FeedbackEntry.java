package dev.lakerank.serving.log;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A click, purchase, dismissal or rating on an item of an earlier answer ({@code feedback}). */
@MappedEntity("feedback")
public record FeedbackEntry(
    @Id @GeneratedValue @Nullable Long id,
    String requestId,
    long itemId,
    String event,
    @Nullable Double eventValue,
    Instant receivedAt)
    implements LogEntry {}
