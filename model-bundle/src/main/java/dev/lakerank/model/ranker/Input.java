package dev.lakerank.model.ranker;

/**
 * One input column of a ranker, in the order rows are given.
 *
 * @param name a feature reference ({@code view:feature}) or a context column
 * @param type whether the value is a number or a text
 */
public record Input(String name, InputType type) {
  /** Numbers (missing: null or NaN) or texts (missing: null). */
  public enum InputType {
    NUMERIC,
    STRING
  }
}
