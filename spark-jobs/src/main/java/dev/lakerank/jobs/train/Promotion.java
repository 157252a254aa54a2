package dev.lakerank.jobs.train;

import dev.lakerank.jobs.LakerankException;
import java.util.Locale;

/** What registering a new version does to the aliases. */
public enum Promotion {
  /** Champion when there is none or the new version is at least as good on the primary metric; else challenger. */
  AUTO,
  /** Champion, whatever its metrics. */
  ALWAYS,
  /** Challenger: a person promotes it with {@code lakerank models promote}. */
  NEVER;

  public static Promotion parse(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new LakerankException("unknown promotion `" + text + "`; use auto, always or never");
    }
  }
}
