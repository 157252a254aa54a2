package dev.lakerank.jobs.query;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints rows as an aligned text table, as CSV, or as JSON lines. Long values are cut in the text
 * table only.
 */
public final class TablePrinter {
  /** Cells longer than this are cut in the text table. */
  public static final int DEFAULT_MAX_CELL = 60;

  /** Output formats. */
  public enum Format {
    TABLE,
    CSV,
    JSON;

    public static Format parse(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  private TablePrinter() {}

  /**
   * Prints {@code header} and {@code rows} (each cell already text; null prints as NULL or empty).
   */
  public static void print(
      PrintStream out, Format format, List<String> header, List<List<String>> rows) {
    print(out, format, header, rows, DEFAULT_MAX_CELL);
  }

  /**
   * As {@link #print(PrintStream, Format, List, List)}, cutting text-table cells at {@code
   * maxCell}.
   */
  public static void print(
      PrintStream out, Format format, List<String> header, List<List<String>> rows, int maxCell) {
    switch (format) {
      case TABLE -> table(out, header, rows, maxCell);
      case CSV -> {
        out.println(String.join(",", header.stream().map(TablePrinter::csv).toList()));
        rows.forEach(
            row -> out.println(String.join(",", row.stream().map(TablePrinter::csv).toList())));
      }
      case JSON -> rows.forEach(row -> out.println(json(header, row)));
    }
  }

  private static void table(
      PrintStream out, List<String> header, List<List<String>> rows, int maxCell) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < header.size(); i++) {
      widths[i] = header.get(i).length();
    }
    List<List<String>> cells = new ArrayList<>();
    for (List<String> row : rows) {
      List<String> shown = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i) == null ? "NULL" : row.get(i);
        if (cell.length() > maxCell) {
          cell = cell.substring(0, maxCell - 3) + "...";
        }
        shown.add(cell);
        widths[i] = Math.max(widths[i], cell.length());
      }
      cells.add(shown);
    }
    out.println(line(header, widths));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
    }
    out.println(rule);
    cells.forEach(row -> out.println(line(row, widths)));
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      line.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", cells.get(i)));
    }
    return line.toString().stripTrailing();
  }

  private static String csv(String cell) {
    if (cell == null) {
      return "";
    }
    if (cell.contains(",") || cell.contains("\"") || cell.contains("\n")) {
      return '"' + cell.replace("\"", "\"\"") + '"';
    }
    return cell;
  }

  private static String json(List<String> header, List<String> row) {
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < header.size(); i++) {
      json.append(i == 0 ? "" : ",").append(quote(header.get(i))).append(':');
      json.append(row.get(i) == null ? "null" : quote(row.get(i)));
    }
    return json.append('}').toString();
  }

  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (c < 0x20) {
            quoted.append(String.format("\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }
}
