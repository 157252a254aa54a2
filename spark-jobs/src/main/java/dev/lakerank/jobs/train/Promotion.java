package dev.lakerank.jobs.train;

/** What registering a new version does to the aliases. */
public enum Promotion {
  /**
   * Champion when there is none or the new version is at least as good on the primary metric; else
   * challenger.
   */
  AUTO,
  /** Champion, whatever its metrics. */
  ALWAYS,
  /** Challenger: a person promotes it with {@code lakerank models promote}. */
  NEVER;

  public static Promotion parse(String text) {
    return Choices.parse(Promotion.class, text, "promotion");
  }
}
