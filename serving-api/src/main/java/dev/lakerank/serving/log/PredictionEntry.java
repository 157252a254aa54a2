package dev.lakerank.serving.log;

import dev.lakerank.contract.messages.PredictionMessage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;

/**
 * One answer, as the serving database's {@code prediction_log} keeps it for monitoring and
 * training: the fields of {@link PredictionMessage}, the lists as JSON text.
 *
 * @param items the item ids answered, a JSON array in rank order
 * @param scores their scores, a JSON array in the same order
 * @param recommender the candidate generator ({@code name@version}), null when none was used
 */
@MappedEntity("prediction_log")
public record PredictionEntry(
    @Id @GeneratedValue @Nullable Long id,
    @MappedProperty(PredictionMessage.REQUEST_ID) String requestId,
    @MappedProperty(PredictionMessage.ENDPOINT) String endpoint,
    @MappedProperty(PredictionMessage.USER_ID) @Nullable Long userId,
    @MappedProperty(PredictionMessage.ITEMS) String items,
    @MappedProperty(PredictionMessage.SCORES) String scores,
    @MappedProperty(PredictionMessage.RECOMMENDER) @Nullable String recommender,
    @MappedProperty(PredictionMessage.RANKER) String ranker,
    @MappedProperty(PredictionMessage.FALLBACK) boolean fallback,
    @MappedProperty(PredictionMessage.LATENCY_MICROS) long latencyMicros,
    @MappedProperty(PredictionMessage.CREATED_AT) Instant createdAt)
    implements LogEntry {}
