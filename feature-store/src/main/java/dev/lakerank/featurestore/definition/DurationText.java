package dev.lakerank.featurestore.definition;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in configuration: {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d},
 * a plain number of seconds, or ISO-8601 ({@code PT48H}). {@code 0} is zero, which Feast reads as
 * "no ttl".
 */
public final class DurationText {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)?");

  private DurationText() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException with the accepted forms when {@code text} is none of them
   */
  public static Duration parse(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    Matcher matcher = SHORT.matcher(trimmed);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      String unit = matcher.group(2) == null ? "s" : matcher.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        case "d" -> Duration.ofDays(amount);
        case "w" -> Duration.ofDays(7 * amount);
        default -> throw new IllegalStateException("unit " + unit);
      };
    }
    try {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "`"
              + text
              + "` is not a duration; write it as 30s, 5m, 2h, 7d, 2w or ISO-8601 such as PT48H");
    }
  }

  /** The shortest of the forms {@link #parse} accepts that gives back {@code duration}. */
  public static String format(Duration duration) {
    long seconds = duration.getSeconds();
    if (duration.getNano() != 0) {
      return duration.toMillis() + "ms";
    }
    if (seconds == 0) {
      return "0";
    }
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
