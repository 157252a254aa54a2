package dev.lakerank.jobs.generate;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What {@code lakerank generate} makes. See {@link dev.lakerank.jobs.config.Settings} for the
 * meaning of each field.
 *
 * @param events number of impressions; clicks, purchases and ratings come on top of them
 * @param driftDay the first day (0-based) of changed tastes, or -1 for none
 */
public record GenerateSettings(
    long users,
    long items,
    long events,
    int days,
    LocalDate startDate,
    long seed,
    int categories,
    int latentDim,
    double itemZipf,
    double userZipf,
    double ratingFraction,
    double dirtyFraction,
    double duplicateFraction,
    int driftDay)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public GenerateSettings {
    Objects.requireNonNull(startDate, "startDate");
    if (users < 1 || items < 1 || events < 1 || days < 1 || categories < 1 || latentDim < 1) {
      throw new IllegalArgumentException(
          "users, items, events, days, categories and latentDim must be >= 1");
    }
    if (users > 1_000_000_000L || items > 1_000_000_000L) {
      throw new IllegalArgumentException("at most 1,000,000,000 users and items");
    }
    if (driftDay < -1) {
      throw new IllegalArgumentException("driftDay must be -1 (none) or a day");
    }
  }

  /** Whether tastes change during the span. */
  public boolean hasDrift() {
    return driftDay >= 0 && driftDay < days;
  }
}
