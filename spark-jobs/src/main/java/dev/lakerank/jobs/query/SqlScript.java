package dev.lakerank.jobs.query;

import java.util.ArrayList;
import java.util.List;

/**
 * A file of SQL statements separated by semicolons, as {@code lakerank sql --file} runs them.
 * Semicolons inside quotes, back-ticks and comments do not end a statement; comments are kept in
 * the statement text (Spark's parser ignores them) but a statement made only of comments is
 * dropped.
 */
public final class SqlScript {
  private SqlScript() {}

  /** One statement and the line (1-based) where its first non-blank character is. */
  public record Statement(String sql, int line) {}

  public static List<Statement> statements(String script) {
    List<Statement> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean hasCode = false;
    int line = 1;
    int startLine = 1;
    char quote = 0;
    boolean lineComment = false;
    boolean blockComment = false;
    for (int i = 0; i < script.length(); i++) {
      char c = script.charAt(i);
      char next = i + 1 < script.length() ? script.charAt(i + 1) : 0;
      if (lineComment) {
        lineComment = c != '\n';
      } else if (blockComment) {
        if (c == '*' && next == '/') {
          blockComment = false;
          current.append(c);
          c = next;
          i++;
        }
      } else if (quote != 0) {
        if (c == '\\' && quote != '`' && next != 0) {
          current.append(c);
          c = next;
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '-' && next == '-') {
        lineComment = true;
      } else if (c == '/' && next == '*') {
        blockComment = true;
      } else if (c == ';') {
        if (hasCode) {
          statements.add(new Statement(current.toString().strip(), startLine));
        }
        current.setLength(0);
        hasCode = false;
        continue;
      } else if (!Character.isWhitespace(c)) {
        if (!hasCode) {
          startLine = line;
        }
        hasCode = true;
        if (c == '\'' || c == '"' || c == '`') {
          quote = c;
        }
      }
      current.append(c);
      if (c == '\n') {
        line++;
      }
    }
    if (hasCode) {
      statements.add(new Statement(current.toString().strip(), startLine));
    }
    return statements;
  }
}
