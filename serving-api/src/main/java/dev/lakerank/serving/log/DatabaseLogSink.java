package dev.lakerank.serving.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The serving database's tables {@code prediction_log} and {@code feedback} (Micronaut Data JDBC;
 * H2 by default, PostgreSQL in production), one {@code saveAll} per table and batch.
 */
public final class DatabaseLogSink implements LogSink {
  private final PredictionLogRepository predictions;
  private final FeedbackRepository feedback;

  public DatabaseLogSink(PredictionLogRepository predictions, FeedbackRepository feedback) {
    this.predictions = Objects.requireNonNull(predictions, "predictions");
    this.feedback = Objects.requireNonNull(feedback, "feedback");
  }

  @Override
  public String name() {
    return "database";
  }

  @Override
  public String settingsToCheck() {
    return "datasources.default.url (--database), or turn this sink off with lakerank.prediction-log.database.enabled=false";
  }

  @Override
  public void write(List<LogEntry> batch, Outcomes outcomes) {
    List<PredictionEntry> answers = new ArrayList<>();
    List<FeedbackEntry> events = new ArrayList<>();
    for (LogEntry entry : batch) {
      if (entry instanceof PredictionEntry answer) {
        answers.add(answer);
      } else {
        events.add((FeedbackEntry) entry);
      }
    }
    // the two tables independently: a failure of one does not count the other's rows as lost
    save(answers, predictions::saveAll, outcomes);
    save(events, feedback::saveAll, outcomes);
  }

  private static <T> void save(
      List<T> rows, java.util.function.Consumer<List<T>> saveAll, Outcomes outcomes) {
    if (rows.isEmpty()) {
      return;
    }
    try {
      saveAll.accept(rows);
      outcomes.written(rows.size());
    } catch (RuntimeException e) {
      outcomes.failed(rows.size(), e);
    }
  }
}
