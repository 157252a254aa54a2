package dev.lakerank.serving.log;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One answer, as {@code prediction_log} keeps it for monitoring and training.
 *
 * @param items the item ids answered, a JSON array in rank order
 * @param scores their scores, a JSON array in the same order
 * @param recommender the candidate generator ({@code name@version}), null when none was used
 */
@MappedEntity("prediction_log")
public record PredictionEntry(
    @Id @GeneratedValue @Nullable Long id,
    String requestId,
    String endpoint,
    @Nullable Long userId,
    String items,
    String scores,
    @Nullable String recommender,
    String ranker,
    boolean fallback,
    long latencyMicros,
    Instant createdAt)
    implements LogEntry {}
