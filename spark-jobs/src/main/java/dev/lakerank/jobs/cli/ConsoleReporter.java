package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.spark.ProgressBar;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Prints each step on stderr with the time the previous one took, and keeps the progress bar (when
 * shown) labelled with the current step.
 */
final class ConsoleReporter implements Reporter {
  private final PrintStream err;
  private final Clock clock;
  private final ProgressBar progress;
  private final Instant start;

  /**
   * @param progress the bar to label, or null when progress is not shown
   */
  ConsoleReporter(PrintStream err, Clock clock, ProgressBar progress) {
    this.err = err;
    this.clock = clock;
    this.progress = progress;
    this.start = clock.instant();
  }

  @Override
  public void step(String description) {
    if (progress != null) {
      progress.step(description);
    }
    err.println("[" + elapsed() + "] " + description);
  }

  @Override
  public void detail(String message) {
    if (progress != null) {
      progress.clear();
    }
    err.println("         " + message);
  }

  /** Clears the progress line before results are printed. */
  void finish() {
    if (progress != null) {
      progress.clear();
    }
  }

  private String elapsed() {
    long seconds = Duration.between(start, clock.instant()).toSeconds();
    return String.format("%2d:%02d", seconds / 60, seconds % 60);
  }
}
