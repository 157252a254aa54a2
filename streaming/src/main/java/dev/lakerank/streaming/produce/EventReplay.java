package dev.lakerank.streaming.produce;

import static java.util.Objects.requireNonNull;

import dev.lakerank.contract.messages.EventMessage;
import dev.lakerank.jobs.LakerankException;
import dev.lakerank.streaming.StreamingErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code lakerank produce}: replays the lines of a generated events log ({@code
 * <raw>/events/date=.../*.jsonl}) into the {@code events} topic at a chosen rate, for demos and
 * benchmarks.
 *
 * <p>Each line is sent as it is, with one change: an event time that parses and is not in the
 * future becomes the time the line is sent, so the replayed events are "now" for the real-time
 * features. Corrupted lines stay corrupted (an unparseable or future time is kept), so the stream's
 * quarantine sees what the batch path sees. A replay that loops over the files again suffixes the
 * event ids ({@code -r2}, {@code -r3}, ...) so that each pass is new events, not re-deliveries. The
 * message key is the user id, so one user's events stay in order on one partition.
 */
public final class EventReplay {
  private static final Pattern EVENT_TIME =
      Pattern.compile("\"" + EventMessage.EVENT_TIME + "\":\"([^\"]*)\"");
  private static final Pattern EVENT_ID =
      Pattern.compile("\"" + EventMessage.EVENT_ID + "\":\"([^\"]*)\"");
  private static final Pattern USER_ID =
      Pattern.compile("\"" + EventMessage.USER_ID + "\":\"?([^\",}]*)\"?");

  /** Sends are paced in ticks of this length. */
  private static final long TICK_NANOS = 5_000_000L;

  private final Properties producerProperties;
  private final String topic;
  private final Clock clock;

  /**
   * @param producerProperties a Kafka producer's properties, byte-array serializers included
   */
  public EventReplay(Properties producerProperties, String topic, Clock clock) {
    this.producerProperties = requireNonNull(producerProperties, "producerProperties");
    this.topic = requireNonNull(topic, "topic");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * What to replay.
   *
   * @param rate events per second; 0 for as fast as the producer goes
   * @param limit the most events to send; 0 for no limit (until the files end, or forever with
   *     loop)
   * @param duration how long to send; zero for no limit
   * @param loop start the files again when they end
   */
  public record Plan(double rate, long limit, Duration duration, boolean loop) {
    public Plan {
      if (rate < 0) {
        throw StreamingErrors.invalidInput(
            "--rate is " + rate + "; give events per second, 0 for as fast as possible");
      }
      if (limit < 0) {
        throw StreamingErrors.invalidInput(
            "--events is " + limit + "; give a count, 0 for no limit");
      }
      requireNonNull(duration, "duration");
    }
  }

  /** What was sent. */
  public record Summary(long sent, long failed, Duration took) {
    public double rate() {
      return sent / Math.max(took.toNanos() / 1e9, 1e-9);
    }
  }

  /**
   * Replays the {@code .jsonl} files under {@code events} (sorted by name: by date) as {@code plan}
   * says; {@code progress} hears the count sent about every second.
   *
   * @throws LakerankException when there are no event files, or Kafka refuses the messages
   */
  public Summary replay(String events, Plan plan, Consumer<Long> progress) {
    Configuration hadoop = new Configuration();
    List<Path> files = files(hadoop, events);
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    AtomicLong failed = new AtomicLong();
    AtomicReference<Exception> firstFailure = new AtomicReference<>();
    long sent = 0;
    long lastReport = startNanos;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties)) {
      int pass = 1;
      outer:
      while (true) {
        for (Path file : files) {
          try (BufferedReader reader = open(hadoop, file)) {
            String line;
            while ((line = reader.readLine()) != null) {
              if (line.isBlank()) {
                continue;
              }
              if ((plan.limit() > 0 && sent >= plan.limit())
                  || (!plan.duration().isZero()
                      && System.nanoTime() - startNanos >= plan.duration().toNanos())) {
                break outer;
              }
              pace(plan.rate(), startNanos, sent);
              String message = retime(line, clock.instant(), pass);
              producer.send(
                  new ProducerRecord<>(
                      topic, key(message), message.getBytes(StandardCharsets.UTF_8)),
                  (metadata, exception) -> {
                    if (exception != null) {
                      failed.incrementAndGet();
                      firstFailure.compareAndSet(null, exception);
                    }
                  });
              sent++;
              long now = System.nanoTime();
              if (now - lastReport >= 1_000_000_000L) {
                progress.accept(sent);
                lastReport = now;
              }
            }
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
          }
        }
        if (!plan.loop()) {
          break;
        }
        pass++;
      }
      producer.flush();
    }
    if (failed.get() > 0) {
      throw StreamingErrors.unavailable(
          failed.get()
              + " of "
              + sent
              + " events were not accepted by Kafka (first: "
              + firstFailure.get().getMessage()
              + "); check kafka.bootstrap-servers and that topic `"
              + topic
              + "` exists");
    }
    return new Summary(sent, failed.get(), Duration.between(started, clock.instant()));
  }

  /** Waits until message {@code sent} is due at {@code rate} per second. */
  private static void pace(double rate, long startNanos, long sent) {
    if (rate <= 0) {
      return;
    }
    long due = startNanos + (long) (sent / rate * 1e9);
    long wait = due - System.nanoTime();
    if (wait > TICK_NANOS) {
      LockSupport.parkNanos(wait);
    }
  }

  /**
   * {@code line} with its event time set to {@code now} when it parses and is not in the future,
   * and its event id suffixed with {@code -r<pass>} after the first pass.
   */
  static String retime(String line, Instant now, int pass) {
    String out = line;
    Matcher time = EVENT_TIME.matcher(out);
    if (time.find()) {
      try {
        Instant original = Instant.parse(time.group(1));
        if (!original.isAfter(now)) {
          out = out.substring(0, time.start(1)) + now + out.substring(time.end(1));
        }
      } catch (DateTimeParseException e) {
        // an unparseable time is a corruption the stream must see as it is
      }
    }
    if (pass > 1) {
      Matcher id = EVENT_ID.matcher(out);
      if (id.find()) {
        out = out.substring(0, id.end(1)) + "-r" + pass + out.substring(id.end(1));
      }
    }
    return out;
  }

  /** The user id of a line, the message key; null when it has none. */
  static byte[] key(String line) {
    Matcher user = USER_ID.matcher(line);
    return user.find() ? user.group(1).getBytes(StandardCharsets.UTF_8) : null;
  }

  private static List<Path> files(Configuration hadoop, String events) {
    List<Path> files = new ArrayList<>();
    try {
      Path root = new Path(events);
      FileSystem fs = root.getFileSystem(hadoop);
      if (!fs.exists(root)) {
        throw StreamingErrors.notFound(
            "no events log at "
                + events
                + "; generate one first (lakerank generate) or point --from at one");
      }
      RemoteIterator<LocatedFileStatus> listing = fs.listFiles(root, true);
      while (listing.hasNext()) {
        Path path = listing.next().getPath();
        if (path.getName().endsWith(".jsonl") || path.getName().endsWith(".json")) {
          files.add(path);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + events, e);
    }
    if (files.isEmpty()) {
      throw StreamingErrors.notFound(
          "no .jsonl files under " + events + "; generate some first (lakerank generate)");
    }
    files.sort(Comparator.comparing(Path::toString));
    return files;
  }

  private static BufferedReader open(Configuration hadoop, Path file) throws IOException {
    return new BufferedReader(
        new InputStreamReader(file.getFileSystem(hadoop).open(file), StandardCharsets.UTF_8));
  }
}
