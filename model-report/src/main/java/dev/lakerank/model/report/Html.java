package dev.lakerank.model.report;

/** Escaping for text and attribute values in HTML and inline SVG. */
final class Html {
  private Html() {}

  /**
   * Escapes the five characters that are markup in HTML and XML, so the result is safe both as
   * element text and inside a double- or single-quoted attribute. Control characters XML forbids
   * are dropped, so inline SVG stays well-formed.
   */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
