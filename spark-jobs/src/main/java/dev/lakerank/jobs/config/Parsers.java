package dev.lakerank.jobs.config;

import dev.lakerank.featurestore.definition.DurationText;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Parsers for the types of settings, each checking its range. */
final class Parsers {
  private Parsers() {}

  static Function<String, String> nonBlank() {
    return text -> {
      if (text.isBlank()) {
        throw new IllegalArgumentException("it is empty");
      }
      return text;
    };
  }

  /** Any text, the empty text included (an unset optional value). */
  static Function<String, String> any() {
    return text -> text;
  }

  static Function<String, String> onlineStore() {
    return text -> {
      if (text.equals("repo")
          || text.matches("sqlite:.+")
          || text.matches("redis:[^:,]+:\\d+(,.*)?")) {
        return text;
      }
      throw new IllegalArgumentException("write `repo`, sqlite:<path> or redis:<host>:<port>");
    };
  }

  /** {@code host:port} pairs separated by commas, as Kafka's bootstrap.servers. */
  static Function<String, String> hostPorts() {
    return text -> {
      for (String server : text.split(",", -1)) {
        if (!server.trim().matches("[^:\\s]+:\\d{1,5}")) {
          throw new IllegalArgumentException("`" + server.trim() + "` is not host:port");
        }
      }
      return text.replace(" ", "");
    };
  }

  /** A Kafka topic name: letters, digits, '.', '_' and '-', at most 249 of them (Kafka's rule). */
  static Function<String, String> topic() {
    return text -> {
      if (!text.matches("[A-Za-z0-9._-]{1,249}") || text.equals(".") || text.equals("..")) {
        throw new IllegalArgumentException(
            "Kafka topic names take letters, digits, '.', '_' and '-', up to 249");
      }
      return text;
    };
  }

  static Function<String, Long> longIn(long min, long max) {
    return text -> {
      long value;
      try {
        value = Long.parseLong(text.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a whole number");
      }
      if (value < min || value > max) {
        throw new IllegalArgumentException("out of range");
      }
      return value;
    };
  }

  static Function<String, Integer> intIn(int min, int max) {
    return text -> longIn(min, max).apply(text).intValue();
  }

  static Function<String, Double> doubleIn(double min, double max) {
    return text -> {
      double value;
      try {
        value = Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number");
      }
      if (!(value >= min && value <= max)) {
        throw new IllegalArgumentException("out of range");
      }
      return value;
    };
  }

  static Function<String, Boolean> bool() {
    return text ->
        switch (text.toLowerCase(Locale.ROOT)) {
          case "true", "yes", "on" -> true;
          case "false", "no", "off" -> false;
          default -> throw new IllegalArgumentException("not true or false");
        };
  }

  static Function<String, Duration> durationAtLeast(Duration min) {
    return text -> {
      Duration value = DurationText.parse(text);
      if (value.compareTo(min) < 0) {
        throw new IllegalArgumentException("shorter than " + DurationText.format(min));
      }
      return value;
    };
  }

  static Function<String, LocalDate> date() {
    return text -> {
      try {
        return LocalDate.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a date");
      }
    };
  }

  static Function<String, String> oneOf(List<String> allowed) {
    return text -> {
      String value = text.toLowerCase(Locale.ROOT);
      if (!allowed.contains(value)) {
        throw new IllegalArgumentException("not one of " + String.join(", ", allowed));
      }
      return value;
    };
  }
}
