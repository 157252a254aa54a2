package dev.lakerank.streaming.internal;

import java.time.Duration;
import org.apache.spark.sql.streaming.Trigger;

/** When a query runs its micro-batches. */
public final class Triggers {
  private Triggers() {}

  /**
   * Every {@code interval} (zero: as soon as the last batch ends), or, with {@code availableNow},
   * over what the sources hold now and then stop.
   */
  public static Trigger of(Duration interval, boolean availableNow) {
    return availableNow ? Trigger.AvailableNow() : Trigger.ProcessingTime(interval.toMillis());
  }
}
