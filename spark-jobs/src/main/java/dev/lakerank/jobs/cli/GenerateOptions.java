package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.config.Settings;
import java.time.LocalDate;
import java.util.Map;
import picocli.CommandLine.Option;

/** Flags for the synthetic data set, shared by generate, pipeline run, demo and benchmark. */
final class GenerateOptions {
  @Option(names = "--users", paramLabel = "N", description = "Users (generate.users).")
  Long users;

  @Option(names = "--items", paramLabel = "N", description = "Items (generate.items).")
  Long items;

  @Option(
      names = "--events",
      paramLabel = "N",
      description = "Impressions; clicks, purchases and ratings come on top (generate.events).")
  Long events;

  @Option(names = "--days", paramLabel = "N", description = "Days the events span (generate.days).")
  Integer days;

  @Option(
      names = "--start-date",
      paramLabel = "YYYY-MM-DD",
      description = "First day (generate.start-date).")
  LocalDate startDate;

  @Option(names = "--seed", paramLabel = "N", description = "Random seed (generate.seed).")
  Long seed;

  @Option(
      names = "--dirty-fraction",
      paramLabel = "P",
      description = "Share of corrupted events (generate.dirty-fraction).")
  Double dirtyFraction;

  @Option(
      names = "--duplicate-fraction",
      paramLabel = "P",
      description = "Share of re-delivered events (generate.duplicate-fraction).")
  Double duplicateFraction;

  @Option(
      names = "--drift-day",
      paramLabel = "N",
      description = "Day tastes change, -1 for never (generate.drift-day).")
  Integer driftDay;

  void addTo(Map<String, String> overrides) {
    GlobalOptions.put(overrides, Settings.GENERATE_USERS.key(), users);
    GlobalOptions.put(overrides, Settings.GENERATE_ITEMS.key(), items);
    GlobalOptions.put(overrides, Settings.GENERATE_EVENTS.key(), events);
    GlobalOptions.put(overrides, Settings.GENERATE_DAYS.key(), days);
    GlobalOptions.put(overrides, Settings.GENERATE_START_DATE.key(), startDate);
    GlobalOptions.put(overrides, Settings.GENERATE_SEED.key(), seed);
    GlobalOptions.put(overrides, Settings.GENERATE_DIRTY_FRACTION.key(), dirtyFraction);
    GlobalOptions.put(overrides, Settings.GENERATE_DUPLICATE_FRACTION.key(), duplicateFraction);
    GlobalOptions.put(overrides, Settings.GENERATE_DRIFT_DAY.key(), driftDay);
  }
}
