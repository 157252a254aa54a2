package dev.lakerank.model.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * How numbers are written on a report: short, locale-independent, never {@code
 * 0.30000000000000004}.
 */
final class NumberText {
  private NumberText() {}

  /**
   * A value for a table: whole numbers with thousands separators, others with four significant
   * digits (two decimals from 1000 up), and scientific notation for very large or small values.
   */
  static String value(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "\u221e" : "\u2212\u221e";
    }
    double magnitude = Math.abs(value);
    if (value == Math.rint(value) && magnitude < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) value);
    }
    if (magnitude >= 1e6 || magnitude < 1e-4) {
      return String.format(Locale.ROOT, "%.3e", value);
    }
    if (magnitude >= 1000) {
      return String.format(Locale.ROOT, "%,.2f", value);
    }
    return BigDecimal.valueOf(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /** A count in little space: 950, 8.3k, 12k, 1.5M. */
  static String compact(double value) {
    double magnitude = Math.abs(value);
    if (magnitude >= 1e9) {
      return trim(value / 1e9) + "G";
    }
    if (magnitude >= 1e6) {
      return trim(value / 1e6) + "M";
    }
    if (magnitude >= 1e3) {
      return trim(value / 1e3) + "k";
    }
    return value == Math.rint(value) ? Long.toString((long) value) : value(value);
  }

  /**
   * Tick labels for ticks {@code step} apart: as many decimals as the step needs and no more, so
   * every label of an axis has the same precision; large values in compact form.
   */
  static String tick(double value, double step) {
    double magnitude = Math.max(Math.abs(value), step);
    double divisor = 1;
    String suffix = "";
    if (magnitude >= 1e9) {
      divisor = 1e9;
      suffix = "G";
    } else if (magnitude >= 1e6) {
      divisor = 1e6;
      suffix = "M";
    } else if (magnitude >= 1e4) {
      divisor = 1e3;
      suffix = "k";
    }
    double scaledStep = step / divisor;
    int decimals = 0;
    while (decimals < 10
        && Math.abs(
                scaledStep * Math.pow(10, decimals)
                    - Math.rint(scaledStep * Math.pow(10, decimals)))
            > 1e-6) {
      decimals++;
    }
    String text = String.format(Locale.ROOT, "%." + decimals + "f", value / divisor);
    if (text.matches("-0(\\.0*)?")) {
      text = text.substring(1);
    }
    return text.replace('-', '\u2212') + suffix;
  }

  private static String trim(double value) {
    return BigDecimal.valueOf(value)
        .round(new MathContext(value >= 100 ? 3 : 2))
        .stripTrailingZeros()
        .toPlainString();
  }
}
