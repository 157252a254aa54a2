package dev.lakerank.serving.testing;

import dev.lakerank.serving.log.DatabaseLogSink;
import dev.lakerank.serving.log.FeedbackRepository;
import dev.lakerank.serving.log.LogEntry;
import dev.lakerank.serving.log.PredictionLogRepository;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * The serving database's two repositories without a database: {@code saveAll} waits for {@link
 * #release()} when held, then keeps the entries, or throws when failing.
 */
public final class FakeLogRepositories {
  private final CountDownLatch released;
  private volatile boolean failing;
  private final List<LogEntry> saved = new CopyOnWriteArrayList<>();

  private FakeLogRepositories(boolean held) {
    this.released = new CountDownLatch(held ? 1 : 0);
  }

  /** Repositories that save at once. */
  public static FakeLogRepositories working() {
    return new FakeLogRepositories(false);
  }

  /** Repositories whose saveAll waits until {@link #release()}. */
  public static FakeLogRepositories held() {
    return new FakeLogRepositories(true);
  }

  /** From now on saveAll throws, as a database that is down. */
  public FakeLogRepositories failing() {
    failing = true;
    return this;
  }

  public void release() {
    released.countDown();
  }

  /** What was saved, both tables, in order. */
  public List<LogEntry> saved() {
    return saved;
  }

  /** The real database sink over these repositories. */
  public DatabaseLogSink sink() {
    return new DatabaseLogSink(
        repository(PredictionLogRepository.class), repository(FeedbackRepository.class));
  }

  @SuppressWarnings("unchecked")
  private <T> T repository(Class<T> type) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (method.getName().equals("saveAll")) {
                released.await();
                if (failing) {
                  throw new IllegalStateException("database down");
                }
                for (Object entry : (Iterable<?>) args[0]) {
                  saved.add((LogEntry) entry);
                }
                return args[0];
              }
              if (method.getName().equals("toString")) {
                return type.getSimpleName();
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
