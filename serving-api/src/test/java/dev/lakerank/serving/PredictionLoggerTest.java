package dev.lakerank.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakerank.serving.log.FeedbackRepository;
import dev.lakerank.serving.log.PredictionEntry;
import dev.lakerank.serving.log.PredictionLogRepository;
import dev.lakerank.serving.log.PredictionLogger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The log never holds a request up: a stuck or failing database costs dropped entries, counted. */
class PredictionLoggerTest {
  private static PredictionEntry entry(int n) {
    return new PredictionEntry(null, "r" + n, "rank", (long) n, "[1]", "[0.5]", null, "ranker@1", false, 10, Instant.now());
  }

  @SuppressWarnings("unchecked")
  private static <T> T repository(Class<T> type, CountDownLatch release, AtomicInteger saved, boolean fail) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      if (method.getName().equals("saveAll")) {
        release.await();
        if (fail) {
          throw new IllegalStateException("database down");
        }
        saved.addAndGet(((Iterable<?>) args[0]).spliterator().estimateSize() > 0 ? count((Iterable<?>) args[0]) : 0);
        return args[0];
      }
      if (method.getName().equals("toString")) {
        return type.getSimpleName();
      }
      throw new UnsupportedOperationException(method.getName());
    });
  }

  private static int count(Iterable<?> items) {
    int n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }

  @Test
  void aStuckDatabaseDropsAndCountsInsteadOfBlocking() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger saved = new AtomicInteger();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    PredictionLogger log = new PredictionLogger(repository(PredictionLogRepository.class, release, saved, false),
        repository(FeedbackRepository.class, release, saved, false), meters, true, 10);
    // every offer returns while the writer is stuck in saveAll (a blocking offer would hang here)
    int taken = 0;
    for (int n = 0; n < 1000; n++) {
      taken += log.record(entry(n)) ? 1 : 0;
    }
    int accepted = taken;
    // the writer holds one batch, the buffer ten more: the rest is dropped
    assertThat(accepted).isBetween(10, 11 + 500);
    assertThat(log.droppedCount()).isEqualTo(1000 - accepted);
    assertThat(meters.counter("lakerank.log.dropped").count()).isEqualTo(1000 - accepted);
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> saved.get() == accepted);
  }

  @Test
  void aFailingDatabaseIsCountedAndTheWriterGoesOn() {
    CountDownLatch open = new CountDownLatch(0);
    AtomicInteger saved = new AtomicInteger();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    PredictionLogger log = new PredictionLogger(repository(PredictionLogRepository.class, open, saved, true),
        repository(FeedbackRepository.class, open, saved, true), meters, true, 100);
    for (int n = 0; n < 50; n++) {
      assertThat(log.record(entry(n))).isTrue();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> meters.counter("lakerank.log.failed").count() == 50);
    assertThat(log.record(entry(99))).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> meters.counter("lakerank.log.failed").count() == 51);
  }
}
