package dev.lakerank.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lakerank.serving.log.PredictionEntry;
import dev.lakerank.serving.log.PredictionLogger;
import dev.lakerank.serving.testing.FakeLogRepositories;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The log never holds a request up: a stuck or failing database costs dropped entries, counted. */
class PredictionLoggerTest {
  private static PredictionEntry entry(int n) {
    return new PredictionEntry(
        null,
        "r" + n,
        "rank",
        (long) n,
        "[1]",
        "[0.5]",
        null,
        "ranker@1",
        false,
        10,
        Instant.now());
  }

  private static double count(SimpleMeterRegistry meters, String name) {
    return meters.counter(name, "sink", "database").count();
  }

  @Test
  void aStuckDatabaseDropsAndCountsInsteadOfBlocking() {
    FakeLogRepositories database = FakeLogRepositories.held();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    PredictionLogger log =
        new PredictionLogger(
            List.of(database.sink()), 10, Duration.ofSeconds(10), meters, Clock.systemUTC());
    // every offer returns while the writer is stuck in saveAll (a blocking offer would hang here)
    int taken = 0;
    for (int n = 0; n < 1000; n++) {
      taken += log.record(entry(n)) ? 1 : 0;
    }
    int accepted = taken;
    // the writer holds one batch, the buffer ten more: the rest is dropped
    assertThat(accepted).isBetween(10, 11 + 500);
    assertThat(log.droppedCount()).isEqualTo(1000 - accepted);
    assertThat(count(meters, "lakerank.log.dropped")).isEqualTo(1000 - accepted);
    database.release();
    await().atMost(Duration.ofSeconds(10)).until(() -> database.saved().size() == accepted);
    assertThat(count(meters, "lakerank.log.written")).isEqualTo(accepted);
  }

  @Test
  void aFailingDatabaseIsCountedAndTheWriterGoesOn() {
    FakeLogRepositories database = FakeLogRepositories.working().failing();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    PredictionLogger log =
        new PredictionLogger(
            List.of(database.sink()), 100, Duration.ofSeconds(10), meters, Clock.systemUTC());
    for (int n = 0; n < 50; n++) {
      assertThat(log.record(entry(n))).isTrue();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> count(meters, "lakerank.log.failed") == 50);
    assertThat(log.sinkStates().get("database"))
        .startsWith("failing since ")
        .contains("database down");
    assertThat(log.record(entry(99))).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> count(meters, "lakerank.log.failed") == 51);
    assertThat(meters.get("lakerank.log.sink.up").tag("sink", "database").gauge().value()).isZero();
  }

  @Test
  void withoutSinksNothingIsRecorded() {
    PredictionLogger log =
        new PredictionLogger(
            List.of(), 10, Duration.ofSeconds(1), new SimpleMeterRegistry(), Clock.systemUTC());
    assertThat(log.record(entry(1))).isFalse();
    assertThat(log.sinkStates()).isEmpty();
  }

  @Test
  void refusesABufferOfNoEntriesNamingTheSetting() {
    assertThatThrownBy(
            () ->
                new PredictionLogger(
                    List.of(),
                    0,
                    Duration.ofSeconds(1),
                    new SimpleMeterRegistry(),
                    Clock.systemUTC()))
        .hasMessageContaining("lakerank.prediction-log.buffer is 0; set it to at least 1");
  }
}
