package dev.lakerank.jobs.spark;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Shows the progress of the running Spark stages of the current step on one line of stderr: {@code
 * ingest bronze.events [#######.......] 12/40 tasks 0:08}.
 *
 * <p>On a terminal the line is redrawn in place; otherwise ({@code output.progress: always} into a
 * log file) a plain line is printed every ten seconds.
 */
public final class ProgressBar extends SparkListener {
  private static final Duration REDRAW = Duration.ofMillis(250);
  private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
  private static final int WIDTH = 24;

  private final PrintStream out;
  private final boolean terminal;
  private final Clock clock;
  private final Map<Integer, int[]> stages = new HashMap<>();
  private String label = "";
  private Instant stepStart;
  private Instant lastDraw = Instant.EPOCH;
  private boolean drawn;

  /**
   * @param terminal redraw one line in place (true) or print a line now and then (false)
   */
  public ProgressBar(PrintStream out, boolean terminal, Clock clock) {
    this.out = out;
    this.terminal = terminal;
    this.clock = clock;
    this.stepStart = clock.instant();
  }

  /** Starts a new step: clears the line and labels what follows. */
  public synchronized void step(String newLabel) {
    clear();
    label = newLabel;
    stepStart = clock.instant();
    stages.clear();
  }

  /** Clears the progress line, so that other output starts on a clean line. */
  public synchronized void clear() {
    if (drawn && terminal) {
      out.print("\r\033[K");
      out.flush();
    }
    drawn = false;
  }

  @Override
  public synchronized void onStageSubmitted(SparkListenerStageSubmitted event) {
    stages.put(event.stageInfo().stageId(), new int[] {event.stageInfo().numTasks(), 0});
  }

  @Override
  public synchronized void onStageCompleted(SparkListenerStageCompleted event) {
    int[] counts = stages.get(event.stageInfo().stageId());
    if (counts != null) {
      counts[1] = counts[0];
    }
    draw(false);
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd event) {
    int[] counts = stages.get(event.stageId());
    if (counts != null && counts[1] < counts[0]) {
      counts[1]++;
    }
    draw(false);
  }

  private void draw(boolean force) {
    Instant now = clock.instant();
    Duration since = Duration.between(lastDraw, now);
    if (!force && since.compareTo(terminal ? REDRAW : LOG_INTERVAL) < 0) {
      return;
    }
    int total = 0;
    int done = 0;
    for (int[] counts : stages.values()) {
      total += counts[0];
      done += counts[1];
    }
    if (total == 0) {
      return;
    }
    lastDraw = now;
    int filled = (int) Math.round(WIDTH * (double) done / total);
    long seconds = Duration.between(stepStart, now).toSeconds();
    String line =
        String.format(
            "%s  [%s%s]  %d/%d tasks  %d:%02d",
            label,
            "#".repeat(filled),
            ".".repeat(WIDTH - filled),
            done,
            total,
            seconds / 60,
            seconds % 60);
    if (terminal) {
      out.print("\r\033[K" + line);
      drawn = true;
    } else {
      out.println(line);
    }
    out.flush();
  }
}
