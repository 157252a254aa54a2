package dev.lakerank.serving.log;

import dev.lakerank.contract.messages.FeedbackMessage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;

/** A click, purchase, dismissal or rating on an item of an earlier answer ({@code feedback}). */
@MappedEntity("feedback")
public record FeedbackEntry(
    @Id @GeneratedValue @Nullable Long id,
    @MappedProperty(FeedbackMessage.REQUEST_ID) String requestId,
    @MappedProperty(FeedbackMessage.ITEM_ID) long itemId,
    @MappedProperty(FeedbackMessage.EVENT) String event,
    @MappedProperty(FeedbackMessage.EVENT_VALUE) @Nullable Double eventValue,
    @MappedProperty(FeedbackMessage.RECEIVED_AT) Instant receivedAt)
    implements LogEntry {}
