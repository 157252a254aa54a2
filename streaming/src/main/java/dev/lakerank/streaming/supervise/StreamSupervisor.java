package dev.lakerank.streaming.supervise;

import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.streaming.StreamingErrors;
import dev.lakerank.streaming.internal.KnownSparkIssues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;

/**
 * Runs streaming queries in this process until they stop: starts each, waits, starts one again
 * after a known Spark failure ({@link KnownSparkIssues#isKafkaMetricsAfterRecovery}, once), and
 * turns the first other failure into an error that says what to do. Ctrl-C ends the JVM without
 * waiting for the caller: a shutdown hook stops the queries and closes the resources (the feature
 * stream's outbox, the in-process broker), as {@link #close} does.
 *
 * <pre>{@code
 * try (StreamSupervisor supervisor = new StreamSupervisor(spark, reporter, checkpoints)) {
 *   supervisor.closeOnStop(broker);
 *   supervisor.add("ingest", () -> ingest.start(false));
 *   supervisor.start(name -> "stream " + name);
 *   supervisor.awaitStopped();
 * }
 * }</pre>
 */
public final class StreamSupervisor implements AutoCloseable {
  private final SparkSession spark;
  private final Reporter reporter;
  private final String checkpoints;
  private final Map<String, Callable<StreamingQuery>> starters = new LinkedHashMap<>();
  private final Map<String, StreamingQuery> running = new LinkedHashMap<>();
  // closed first to last
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Thread stopper;

  /**
   * @param checkpoints where the queries keep their checkpoints, for the error that tells how to
   *     start over
   */
  public StreamSupervisor(SparkSession spark, Reporter reporter, String checkpoints) {
    this.spark = spark;
    this.reporter = reporter;
    this.checkpoints = checkpoints;
    this.stopper = new Thread(this::stopAll, "stream-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
  }

  /** A query to run, by name; started by {@link #runUntilStopped}. */
  public void add(String name, Callable<StreamingQuery> starter) {
    starters.put(name, starter);
  }

  /**
   * A resource to close when the queries have stopped; those added later are closed first (a
   * stream's outbox before the broker it reads).
   */
  public void closeOnStop(AutoCloseable resource) {
    resources.add(0, resource);
  }

  /**
   * Starts every query added, in order.
   *
   * @param describe what to say as each query starts, by name (its checkpoint, say)
   * @throws LakerankException when a query cannot start
   */
  public void start(Function<String, String> describe) throws Exception {
    try {
      for (Map.Entry<String, Callable<StreamingQuery>> starter : starters.entrySet()) {
        reporter.step(describe.apply(starter.getKey()));
        running.put(starter.getKey(), starter.getValue().call());
      }
    } catch (StreamingQueryException e) {
      throw failure(e);
    }
  }

  /**
   * Waits until every query has stopped.
   *
   * @throws LakerankException when a query fails, with what to do
   */
  public void awaitStopped() throws Exception {
    try {
      supervise();
    } catch (StreamingQueryException e) {
      throw failure(e);
    }
  }

  /**
   * Waits until every query has stopped. The first to fail ends the wait with its error, except for
   * a known Spark failure after a recovered batch, after which the query is started again, once.
   */
  private void supervise() throws Exception {
    Set<String> restarted = new HashSet<>();
    while (running.values().stream().anyMatch(StreamingQuery::isActive)) {
      try {
        spark.streams().awaitAnyTermination();
      } catch (StreamingQueryException e) {
        // examined below, query by query
      }
      spark.streams().resetTerminated();
      for (Map.Entry<String, StreamingQuery> query : running.entrySet()) {
        if (query.getValue().isActive() || query.getValue().exception().isEmpty()) {
          continue;
        }
        StreamingQueryException failure = query.getValue().exception().get();
        if (KnownSparkIssues.isKafkaMetricsAfterRecovery(failure)
            && restarted.add(query.getKey())) {
          reporter.detail(
              "stream "
                  + query.getKey()
                  + ": the batch resumed after a stop is committed; starting "
                  + "again past Spark's progress-report failure (SPARK-55271)");
          query.setValue(starters.get(query.getKey()).call());
        } else {
          throw failure;
        }
      }
    }
  }

  private LakerankException failure(StreamingQueryException e) {
    Throwable cause = e.cause() == null ? e : e.cause();
    String message = String.valueOf(cause.getMessage());
    if (message.contains("failOnDataLoss")) {
      return StreamingErrors.conflict(
          "a streaming query stopped: messages it had not read are gone from Kafka (retention, or a "
              + "topic or broker log made anew under an old checkpoint). Nothing was skipped; to go on from what Kafka still holds, "
              + "run once with --set stream.fail-on-data-loss=false, or remove the checkpoints under "
              + checkpoints
              + " to start over. Spark said: "
              + firstLine(message),
          e);
    }
    return StreamingErrors.unavailable(
        "a streaming query stopped: "
            + message
            + "; it resumes from its checkpoint when started again",
        e);
  }

  /** Stops the queries that still run, then closes the resources. */
  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(stopper);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it stops the queries
    }
  }

  private void stopAll() {
    running.values().forEach(StreamSupervisor::stopQuietly);
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        // on the way out: the next start picks up what is left (the outbox, the broker's log)
      }
    }
  }

  private static void stopQuietly(StreamingQuery query) {
    try {
      if (query.isActive()) {
        query.stop();
      }
    } catch (Exception e) {
      // stopping on the way out: nothing more to do
    }
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }
}
