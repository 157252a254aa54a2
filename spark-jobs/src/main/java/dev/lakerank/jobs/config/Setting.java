package dev.lakerank.jobs.config;

import static java.util.Objects.requireNonNull;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.LakerankException;
import java.util.Locale;
import java.util.function.Function;

/**
 * One setting: its key in {@code lakerank.yaml}, its type, default, allowed values and a sentence
 * of documentation. Every setting is defined once, in {@link Settings}.
 *
 * @param key dotted key, for example {@code generate.events}
 * @param type what the value is, for people ({@code whole number in [1, 100000]})
 * @param defaultText the default, as text
 * @param doc one sentence
 * @param parser turns text into the typed value, throwing {@link IllegalArgumentException} with the
 *     reason when it cannot
 */
public record Setting<T>(
    String key, String type, String defaultText, String doc, Function<String, T> parser) {
  public Setting {
    requireNonNull(key, "key");
    requireNonNull(type, "type");
    requireNonNull(defaultText, "defaultText");
    requireNonNull(doc, "doc");
    requireNonNull(parser, "parser");
  }

  /** The environment variable that overrides this setting: {@code LAKERANK_GENERATE_EVENTS}. */
  public String environmentVariable() {
    return "LAKERANK_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * Parses {@code text}, which came from {@code origin} (a file, a variable or a flag).
   *
   * @throws LakerankException naming the setting, the origin, the value and what is allowed
   */
  public T parse(String text, String origin) {
    try {
      return parser.apply(text.trim());
    } catch (IllegalArgumentException e) {
      throw JobErrors.configuration(
          "setting `"
              + key
              + "` is `"
              + text
              + "` (from "
              + origin
              + "): "
              + e.getMessage()
              + "; expected "
              + type);
    }
  }
}
