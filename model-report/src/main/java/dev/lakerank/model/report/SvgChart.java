package dev.lakerank.model.report;

import dev.lakerank.model.bundle.Evaluation.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A line chart drawn as a standalone SVG element: title, axes with ticks and labels, grid, a
 * legend, optional bars under the lines and one highlighted point. Also draws horizontal bar charts
 * ({@link #horizontalBars}).
 *
 * <pre>{@code
 * String svg = new SvgChart("ROC curve", "False positive rate", "True positive rate")
 *     .xRange(0, 1).yRange(0, 1)
 *     .line("Chance", List.of(new Point(0, 0), new Point(1, 1)), SvgChart.GREY, true)
 *     .line("Model (AUC 0.81)", roc, SvgChart.color(0), false)
 *     .render();
 * }</pre>
 *
 * Series longer than {@link #MAX_POINTS} are downsampled; tick labels that would overlap are left
 * out; points outside a fixed range are drawn on its edge. The output is well-formed XML.
 */
final class SvgChart {
  /** Series longer than this are downsampled before drawing. */
  static final int MAX_POINTS = 500;

  /** Series up to this long get a marker (with its values as a tooltip) on every point. */
  static final int MAX_MARKED_POINTS = 60;

  static final String GREY = "#8a8f98";
  static final int WIDTH = 560;
  static final int HEIGHT = 340;

  // Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies
  // (https://jfly.uni-koeln.de/color/), yellow left out for contrast on white.
  private static final String[] PALETTE = {
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"
  };
  // Average advance of an 11px sans-serif character; only for layout estimates.
  private static final double CHAR_WIDTH = 6.4;
  private static final int LEGEND_ROW = 16;
  // Presentation attributes as well as classes, so a chart saved out of the page draws the same;
  // the page's CSS may still restyle the classes.
  private static final Map<String, String> TEXT_STYLE =
      Map.of(
          "chart-title", "font-size=\"14\" font-weight=\"600\" fill=\"#1d2330\"",
          "tick", "font-size=\"11\" fill=\"#5b6372\"",
          "bar-label", "font-size=\"11\" fill=\"#5b6372\"",
          "legend", "font-size=\"11\" fill=\"#1d2330\"",
          "axis-label", "font-size=\"12\" fill=\"#1d2330\"",
          "highlight-label", "font-size=\"11\" font-weight=\"600\" fill=\"#a4262c\"");
  private static final String GRID = "class=\"grid\" stroke=\"#eef0f3\"";
  private static final String AXIS = "class=\"axis\" stroke=\"#9aa1ad\" fill=\"none\"";
  private static final String SERIES =
      "class=\"series\" fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke-linecap=\"round\"";
  private static final String UNDERLAY = "class=\"underlay\" fill=\"#d5d9e0\"";

  private record Series(String label, List<Point> points, String color, boolean dashed) {}

  /** A bar under the lines from {@code lower} to {@code upper} on the x axis. */
  record Bar(double lower, double upper, double value) {}

  private record Axis(double min, double max, double step, List<Double> ticks) {
    double scale(double value, double from, double to) {
      double clamped = Math.max(min, Math.min(max, value));
      return from + (clamped - min) / (max - min) * (to - from);
    }

    String label(double tick) {
      return NumberText.tick(tick, step);
    }
  }

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private double[] xRange;
  private double[] yRange;
  private boolean integerX;
  private List<Double> xTicks;
  private final List<Series> series = new ArrayList<>();
  private List<Bar> bars = List.of();
  private String barLabel;
  private Point highlight;
  private String highlightLabel;

  SvgChart(String title, String xLabel, String yLabel) {
    this.title = Objects.requireNonNull(title, "title");
    this.xLabel = Objects.requireNonNull(xLabel, "xLabel");
    this.yLabel = Objects.requireNonNull(yLabel, "yLabel");
  }

  /** The palette colour for the {@code index}th series. */
  static String color(int index) {
    return PALETTE[Math.floorMod(index, PALETTE.length)];
  }

  /** Fixes the x axis to [min, max] instead of fitting the data. */
  SvgChart xRange(double min, double max) {
    xRange = new double[] {min, max};
    return this;
  }

  /** Fixes the y axis to [min, max] instead of fitting the data. */
  SvgChart yRange(double min, double max) {
    yRange = new double[] {min, max};
    return this;
  }

  /** The x values are whole numbers (versions): integer ticks, half a step of room at each end. */
  SvgChart integerX() {
    integerX = true;
    return this;
  }

  /** Ticks at these x values (such as the K of metric@K) instead of evenly spaced ones. */
  SvgChart xTicks(List<Double> ticks) {
    xTicks = List.copyOf(ticks);
    return this;
  }

  /** Adds a line; a null label keeps it out of the legend. Non-finite points are left out. */
  SvgChart line(String label, List<Point> points, String color, boolean dashed) {
    List<Point> finite =
        points.stream().filter(p -> Double.isFinite(p.x()) && Double.isFinite(p.y())).toList();
    series.add(new Series(label, downsample(finite, MAX_POINTS), color, dashed));
    return this;
  }

  /**
   * Grey bars under the lines, scaled to the lowest third of the plot, labelled with their values.
   */
  SvgChart bars(List<Bar> underlay, String legendLabel) {
    bars = List.copyOf(underlay);
    barLabel = legendLabel;
    return this;
  }

  /** Rings one point and writes a label above it. */
  SvgChart highlight(Point point, String label) {
    highlight = point;
    highlightLabel = label;
    return this;
  }

  /** The chart as an {@code <svg>} element. */
  String render() {
    List<Point> all = new ArrayList<>();
    series.forEach(s -> all.addAll(s.points()));
    Axis x = xAxis(all);
    Axis y = yAxis(all);

    List<String[]> legend = new ArrayList<>();
    for (Series s : series) {
      if (s.label() != null) {
        legend.add(new String[] {s.label(), s.color(), s.dashed() ? "dashed" : "line"});
      }
    }
    if (!bars.isEmpty() && barLabel != null) {
      legend.add(new String[] {barLabel, "#d5d9e0", "bar"});
    }
    List<List<String[]>> legendRows = legendRows(legend, WIDTH - 32);

    double top = 30 + legendRows.size() * LEGEND_ROW + 8;
    double maxTickWidth =
        y.ticks().stream().mapToDouble(t -> textWidth(y.label(t))).max().orElse(0);
    double left = Math.max(48, 30 + maxTickWidth);
    double right = WIDTH - 24;
    double bottom = HEIGHT - 46;

    StringBuilder svg = open(WIDTH, HEIGHT, title);
    svg.append(text(WIDTH / 2.0, 18, "middle", "chart-title", title));
    drawLegend(svg, legendRows, 16, 30);

    for (double tick : y.ticks()) {
      double py = y.scale(tick, bottom, top);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line %s x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
              GRID,
              left,
              py,
              right,
              py));
      svg.append(text(left - 6, py + 4, "end", "tick", y.label(tick)));
    }
    double lastEnd = Double.NEGATIVE_INFINITY;
    for (double tick : x.ticks()) {
      double px = x.scale(tick, left, right);
      String label = x.label(tick);
      double half = textWidth(label) / 2;
      if (px - half < lastEnd + 6) {
        continue;
      }
      lastEnd = px + half;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line %s x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
              GRID,
              px,
              top,
              px,
              bottom));
      svg.append(text(px, bottom + 16, "middle", "tick", label));
    }
    svg.append(
        String.format(
            Locale.ROOT, "<path %s d=\"M%.1f %.1fV%.1fH%.1f\"/>", AXIS, left, top, bottom, right));
    svg.append(text((left + right) / 2, HEIGHT - 10, "middle", "axis-label", xLabel));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text class=\"axis-label\" text-anchor=\"middle\" transform=\"translate(14 %.1f) rotate(-90)\">%s</text>",
            (top + bottom) / 2,
            Html.escape(yLabel)));

    drawBars(svg, x, left, right, top, bottom);
    for (Series s : series) {
      drawSeries(svg, s, x, y, left, right, top, bottom);
    }
    if (highlight != null) {
      double px = x.scale(highlight.x(), left, right);
      double py = y.scale(highlight.y(), bottom, top);
      svg.append(
          String.format(
              Locale.ROOT,
              "<circle class=\"highlight\" fill=\"none\" stroke=\"#a4262c\" stroke-width=\"2\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\"/>",
              px,
              py));
      if (highlightLabel != null) {
        double width = textWidth(highlightLabel);
        double tx = Math.max(left + width / 2, Math.min(right - width / 2, px));
        double ty = py - 12 < top + 10 ? py + 20 : py - 12;
        svg.append(text(tx, ty, "middle", "highlight-label", highlightLabel));
      }
    }
    return svg.append("</svg>").toString();
  }

  /**
   * Horizontal bars, one row per entry in the order given, with the name on the left and the value
   * at the end of the bar. Names too long for the margin are shortened (the full name is the bar's
   * tooltip).
   */
  static String horizontalBars(
      String title, String xLabel, List<Map.Entry<String, Double>> entries) {
    List<Map.Entry<String, Double>> rows =
        entries.stream()
            .filter(e -> e.getValue() != null && Double.isFinite(e.getValue()))
            .toList();
    int maxChars = 34;
    double rowHeight = 18;
    double top = 34;
    double height = top + Math.max(1, rows.size()) * rowHeight + 46;
    double longest =
        rows.stream().mapToDouble(e -> textWidth(shorten(e.getKey(), maxChars))).max().orElse(0);
    double left = Math.min(240, 14 + longest);
    double right = WIDTH - 56;
    double bottom = height - 46;
    double min = Math.min(0, rows.stream().mapToDouble(Map.Entry::getValue).min().orElse(0));
    double max = Math.max(0, rows.stream().mapToDouble(Map.Entry::getValue).max().orElse(1));
    Axis x = niceAxis(min, max == min ? min + 1 : max, 6, false, true);

    StringBuilder svg = open(WIDTH, height, title);
    svg.append(text(WIDTH / 2.0, 18, "middle", "chart-title", title));
    double lastEnd = Double.NEGATIVE_INFINITY;
    for (double tick : x.ticks()) {
      double px = x.scale(tick, left, right);
      String label = x.label(tick);
      double half = textWidth(label) / 2;
      if (px - half < lastEnd + 6) {
        continue;
      }
      lastEnd = px + half;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line %s x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
              GRID,
              px,
              top,
              px,
              bottom));
      svg.append(text(px, bottom + 16, "middle", "tick", label));
    }
    double zero = x.scale(0, left, right);
    for (int i = 0; i < rows.size(); i++) {
      Map.Entry<String, Double> row = rows.get(i);
      double value = row.getValue();
      double end = x.scale(value, left, right);
      double rowTop = top + i * rowHeight;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s</title></rect>",
              Math.min(zero, end),
              rowTop + 3,
              Math.abs(end - zero),
              rowHeight - 6,
              color(0),
              Html.escape(row.getKey()),
              NumberText.value(value)));
      svg.append(
          text(
              left - 6,
              rowTop + rowHeight / 2 + 4,
              "end",
              "tick",
              shorten(row.getKey(), maxChars)));
      svg.append(
          text(
              Math.max(zero, end) + 4,
              rowTop + rowHeight / 2 + 4,
              "start",
              "tick",
              NumberText.value(value)));
    }
    svg.append(
        String.format(
            Locale.ROOT, "<path %s d=\"M%.1f %.1fV%.1fH%.1f\"/>", AXIS, zero, top, bottom, right));
    svg.append(text((left + right) / 2, height - 10, "middle", "axis-label", xLabel));
    return svg.append("</svg>").toString();
  }

  /**
   * At most {@code threshold} points that keep the shape of the line:
   * Largest-Triangle-Three-Buckets (Steinarsson, "Downsampling Time Series for Visual
   * Representation", 2013, section 4.2). The first and last points are always kept.
   */
  static List<Point> downsample(List<Point> points, int threshold) {
    if (threshold < 3 || points.size() <= threshold) {
      return points;
    }
    List<Point> out = new ArrayList<>(threshold);
    double every = (double) (points.size() - 2) / (threshold - 2);
    int previous = 0;
    out.add(points.get(0));
    for (int bucket = 0; bucket < threshold - 2; bucket++) {
      int nextStart = (int) Math.floor((bucket + 1) * every) + 1;
      int nextEnd = Math.min((int) Math.floor((bucket + 2) * every) + 1, points.size());
      double averageX = 0;
      double averageY = 0;
      for (int i = nextStart; i < nextEnd; i++) {
        averageX += points.get(i).x();
        averageY += points.get(i).y();
      }
      int count = Math.max(1, nextEnd - nextStart);
      averageX /= count;
      averageY /= count;

      int start = (int) Math.floor(bucket * every) + 1;
      int end = (int) Math.floor((bucket + 1) * every) + 1;
      Point a = points.get(previous);
      double largest = -1;
      int chosen = start;
      for (int i = start; i < end; i++) {
        Point b = points.get(i);
        double area =
            Math.abs((a.x() - averageX) * (b.y() - a.y()) - (a.x() - b.x()) * (averageY - a.y()));
        if (area > largest) {
          largest = area;
          chosen = i;
        }
      }
      out.add(points.get(chosen));
      previous = chosen;
    }
    out.add(points.get(points.size() - 1));
    return out;
  }

  private Axis xAxis(List<Point> points) {
    double min;
    double max;
    if (xRange != null) {
      min = xRange[0];
      max = xRange[1];
    } else {
      min = points.stream().mapToDouble(Point::x).min().orElse(0);
      max = points.stream().mapToDouble(Point::x).max().orElse(1);
      if (integerX) {
        min -= 0.5;
        max += 0.5;
      } else if (min == max) {
        min -= 1;
        max += 1;
      }
    }
    if (xTicks != null) {
      double low = min;
      double high = max;
      List<Double> ticks = xTicks.stream().filter(t -> t >= low && t <= high).sorted().toList();
      double step = ticks.stream().mapToDouble(t -> t == Math.rint(t) ? 1 : 0.01).min().orElse(1);
      return new Axis(min, max, step, ticks);
    }
    return niceAxis(min, max, 8, integerX, false);
  }

  private Axis yAxis(List<Point> points) {
    if (yRange != null) {
      return niceAxis(yRange[0], yRange[1], 6, false, false);
    }
    double min = points.stream().mapToDouble(Point::y).min().orElse(0);
    double max = points.stream().mapToDouble(Point::y).max().orElse(1);
    if (highlight != null) {
      min = Math.min(min, highlight.y());
      max = Math.max(max, highlight.y());
    }
    if (min == max) {
      double pad = min == 0 ? 1 : Math.abs(min) * 0.05;
      min -= pad;
      max += pad;
    }
    return niceAxis(min, max, 6, false, true);
  }

  /**
   * Ticks at 1, 2, 2.5 or 5 times a power of ten, at most about {@code maxTicks} of them (Heckbert,
   * "Nice numbers for graph labels", Graphics Gems, 1990). With {@code extend} the range grows to
   * whole steps.
   */
  private static Axis niceAxis(
      double min, double max, int maxTicks, boolean integers, boolean extend) {
    double step = niceStep(max - min, maxTicks, integers);
    if (extend) {
      min = Math.floor(min / step + 1e-9) * step;
      max = Math.ceil(max / step - 1e-9) * step;
    }
    List<Double> ticks = new ArrayList<>();
    long first = (long) Math.ceil(min / step - 1e-9);
    for (long i = first; i * step <= max + step * 1e-9; i++) {
      ticks.add(i * step);
    }
    return new Axis(min, max, step, ticks);
  }

  private static double niceStep(double range, int maxTicks, boolean integers) {
    double rough = range / maxTicks;
    double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
    double normalized = rough / magnitude;
    double nice;
    if (normalized <= 1) {
      nice = 1;
    } else if (normalized <= 2) {
      nice = 2;
    } else if (normalized <= 2.5 && !integers) {
      nice = 2.5;
    } else if (normalized <= 5) {
      nice = 5;
    } else {
      nice = 10;
    }
    double step = nice * magnitude;
    return integers ? Math.max(1, Math.rint(step)) : step;
  }

  private void drawBars(
      StringBuilder svg, Axis x, double left, double right, double top, double bottom) {
    double tallest = bars.stream().mapToDouble(Bar::value).max().orElse(0);
    if (tallest <= 0) {
      return;
    }
    double room = (bottom - top) / 3;
    boolean labelled = bars.size() <= 20;
    for (Bar bar : bars) {
      double x0 = x.scale(bar.lower(), left, right);
      double x1 = x.scale(bar.upper(), left, right);
      double h = Math.max(0, bar.value()) / tallest * room;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect %s x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s</title></rect>",
              UNDERLAY,
              x0 + 0.5,
              bottom - h,
              Math.max(0, x1 - x0 - 1),
              h,
              Html.escape(NumberText.value(bar.value()))));
      String label = NumberText.compact(bar.value());
      if (labelled && textWidth(label) <= x1 - x0) {
        svg.append(text((x0 + x1) / 2, bottom - h - 3, "middle", "bar-label", label));
      }
    }
  }

  private static void drawSeries(
      StringBuilder svg,
      Series s,
      Axis x,
      Axis y,
      double left,
      double right,
      double top,
      double bottom) {
    if (s.points().isEmpty()) {
      return;
    }
    StringBuilder coordinates = new StringBuilder();
    for (Point p : s.points()) {
      if (coordinates.length() > 0) {
        coordinates.append(' ');
      }
      coordinates.append(
          String.format(
              Locale.ROOT, "%.1f,%.1f", x.scale(p.x(), left, right), y.scale(p.y(), bottom, top)));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<polyline %s stroke=\"%s\"%s points=\"%s\"/>",
            SERIES,
            s.color(),
            s.dashed() ? " stroke-dasharray=\"5 4\"" : "",
            coordinates));
    if (!s.dashed() && s.points().size() <= MAX_MARKED_POINTS) {
      for (Point p : s.points()) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s%s, %s</title></circle>",
                x.scale(p.x(), left, right),
                y.scale(p.y(), bottom, top),
                s.color(),
                s.label() == null ? "" : Html.escape(s.label()) + ": ",
                NumberText.value(p.x()),
                NumberText.value(p.y())));
      }
    }
  }

  private static List<List<String[]>> legendRows(List<String[]> items, double width) {
    List<List<String[]>> rows = new ArrayList<>();
    List<String[]> row = new ArrayList<>();
    double used = 0;
    for (String[] item : items) {
      double itemWidth = legendItemWidth(item[0]);
      if (!row.isEmpty() && used + itemWidth > width) {
        rows.add(row);
        row = new ArrayList<>();
        used = 0;
      }
      row.add(item);
      used += itemWidth;
    }
    if (!row.isEmpty()) {
      rows.add(row);
    }
    return rows;
  }

  private static double legendItemWidth(String label) {
    return 26 + textWidth(label) + 16;
  }

  private static void drawLegend(
      StringBuilder svg, List<List<String[]>> rows, double left, double top) {
    for (int r = 0; r < rows.size(); r++) {
      double x = left;
      double y = top + r * LEGEND_ROW + 8;
      for (String[] item : rows.get(r)) {
        switch (item[2]) {
          case "bar" ->
              svg.append(
                  String.format(
                      Locale.ROOT,
                      "<rect %s x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"9\"/>",
                      UNDERLAY,
                      x,
                      y - 6));
          case "dashed" ->
              svg.append(
                  String.format(
                      Locale.ROOT,
                      "<line %s stroke=\"%s\" stroke-dasharray=\"5 4\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                      SERIES,
                      item[1],
                      x,
                      y - 2,
                      x + 18,
                      y - 2));
          default ->
              svg.append(
                  String.format(
                      Locale.ROOT,
                      "<line %s stroke=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                      SERIES,
                      item[1],
                      x,
                      y - 2,
                      x + 18,
                      y - 2));
        }
        svg.append(text(x + 24, y + 2, "start", "legend", item[0]));
        x += legendItemWidth(item[0]);
      }
    }
  }

  private static StringBuilder open(double width, double height, String title) {
    StringBuilder svg = new StringBuilder(4096);
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" font-family=\"system-ui, sans-serif\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"%s\">",
            width,
            height,
            width,
            height,
            Html.escape(title)));
    return svg.append("<title>").append(Html.escape(title)).append("</title>");
  }

  private static String text(double x, double y, String anchor, String cssClass, String content) {
    return String.format(
        Locale.ROOT,
        "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>%s</text>",
        cssClass,
        x,
        y,
        anchor,
        TEXT_STYLE.getOrDefault(cssClass, ""),
        Html.escape(content));
  }

  static double textWidth(String text) {
    return text.length() * CHAR_WIDTH;
  }

  /**
   * Cuts the middle out of a long name: feature names differ most at their ends ({@code
   * view:name_7d}).
   */
  static String shorten(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    int head = (maxChars - 1) / 3;
    int tail = maxChars - 1 - head;
    return text.substring(0, head) + "\u2026" + text.substring(text.length() - tail);
  }
}
