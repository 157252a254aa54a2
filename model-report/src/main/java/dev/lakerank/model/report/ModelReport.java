package dev.lakerank.model.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lakerank.model.bundle.BundleException;
import dev.lakerank.model.bundle.Evaluation;
import dev.lakerank.model.bundle.Evaluation.CalibrationBin;
import dev.lakerank.model.bundle.Evaluation.Point;
import dev.lakerank.model.bundle.Json;
import dev.lakerank.model.bundle.Manifest;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.ModelVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes HTML reports of registered models: one self-contained page per version and an index.
 *
 * <p>A page shows what the registry knows of a version (kind, aliases, times, Spark version,
 * metrics, parameters, lineage, training tables with their Delta versions, features in input order)
 * and draws the curves of its {@code evaluation.json} as inline SVG: ROC, precision-recall,
 * calibration, metric@K, feature importance, and each metric across the model's versions. A chart
 * whose data is missing is replaced by a sentence saying so; a bundle without {@code
 * evaluation.json} gets a page that says it has none. The page loads nothing and runs no script, so
 * it opens offline.
 *
 * <pre>{@code
 * ModelRegistry registry = new LocalModelRegistry(Path.of("registry"), Clock.systemUTC());
 * Path page = new ModelReport().write(registry, "ranker", 3, Path.of("reports"));  // reports/ranker-v3.html
 * List<Path> site = new ModelReport().writeAll(registry, Path.of("reports"));      // ... and reports/index.html
 * }</pre>
 */
public final class ModelReport {
  /** The page listing every model and version, written by {@link #writeAll}. */
  public static final String INDEX = "index.html";

  /** The most features the importance chart shows (the largest). */
  public static final int TOP_FEATURES = 25;

  // Names that are safe as a file name on every platform; the local registry only allows a subset.
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final List<String> AT_K_ORDER =
      List.of("precision", "recall", "ndcg", "map", "hit_rate");
  private static final List<String> ROC_AREA_NAMES =
      List.of("auc", "roc_auc", "area_under_roc", "areaunderroc");
  private static final List<String> PR_AREA_NAMES =
      List.of("pr_auc", "area_under_pr", "areaunderpr", "average_precision");

  private static final String STYLE =
      """
      :root{color-scheme:light;--ink:#1d2330;--muted:#5b6372;--line:#e3e6eb;--accent:#0072B2}
      *{box-sizing:border-box}
      body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f6f7f9}
      header,main{max-width:1180px;margin:0 auto;padding:0 24px}
      header{padding-top:20px}
      h1{font-size:24px;margin:4px 0 8px}
      h1 .version{color:var(--muted);font-weight:500}
      h2{font-size:17px;margin:0 0 10px}
      section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
      a{color:var(--accent)}
      nav{font-size:13px;color:var(--muted)}
      nav a{margin-right:10px}
      .badge{display:inline-block;font-size:12px;font-weight:600;padding:1px 8px;border-radius:10px;margin-left:6px;vertical-align:middle;background:#e8eef7;color:#1f4f82}
      .badge.champion{background:#e3f4ea;color:#17633a}
      .badge.challenger{background:#fdf0e1;color:#8a4b08}
      dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
      dl.facts dt{color:var(--muted)}
      dl.facts dd{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px;overflow-wrap:anywhere}
      table{border-collapse:collapse;font-size:13px}
      th,td{text-align:left;padding:4px 14px 4px 0;border-bottom:1px solid var(--line);vertical-align:top}
      th{color:var(--muted);font-weight:600}
      td.number{text-align:right;font-variant-numeric:tabular-nums;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
      td.code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
      ol.features{columns:3 220px;margin:0;padding-left:28px;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px}
      .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:16px}
      figure{margin:0}
      svg.chart{max-width:100%;height:auto;background:#fff;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
      svg .chart-title{font-size:14px;font-weight:600;fill:var(--ink)}
      svg .tick,svg .legend,svg .bar-label{font-size:11px;fill:var(--muted)}
      svg .legend{fill:var(--ink)}
      svg .axis-label{font-size:12px;fill:var(--ink)}
      svg .grid{stroke:#eef0f3;stroke-width:1}
      svg .axis{stroke:#9aa1ad;fill:none;stroke-width:1}
      svg .series{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
      svg .underlay{fill:#d5d9e0}
      svg .highlight{fill:none;stroke:#a4262c;stroke-width:2}
      svg .highlight-label{font-size:11px;font-weight:600;fill:#a4262c}
      .skip,.empty{color:var(--muted);font-style:italic;margin:4px 0}
      .problem{border-left:4px solid #a4262c;background:#fdf3f3;padding:8px 12px;margin:0}
      ul.notes{margin:0;padding-left:20px}
      """;

  /** What a version's evaluation.json gave: the evaluation, or why there is none. */
  private record LoadedEvaluation(Evaluation evaluation, String missing, boolean failed) {}

  /**
   * Writes the page of one version to {@code <outputDirectory>/<model>-v<version>.html} and returns
   * its path. The page does not link to other pages, which may not exist.
   *
   * @throws dev.lakerank.model.registry.RegistryException if the model or version is unknown
   */
  public Path write(ModelRegistry registry, String model, int version, Path outputDirectory) {
    ModelVersion target = registry.version(model, version);
    String html = page(registry, target, registry.versions(model), registry.aliases(model), false);
    return writeFile(outputDirectory, pageName(model, version), html);
  }

  /**
   * Writes the page of every version of every model, each linking to the index and to the other
   * versions of its model, then {@code index.html}; returns the pages written, index last.
   */
  public List<Path> writeAll(ModelRegistry registry, Path outputDirectory) {
    List<Path> written = new ArrayList<>();
    Map<String, List<ModelVersion>> models = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> aliases = new LinkedHashMap<>();
    for (String model : registry.models()) {
      List<ModelVersion> versions = registry.versions(model);
      models.put(model, versions);
      aliases.put(model, registry.aliases(model));
      for (ModelVersion version : versions) {
        String html = page(registry, version, versions, aliases.get(model), true);
        written.add(writeFile(outputDirectory, pageName(model, version.version()), html));
      }
    }
    written.add(writeFile(outputDirectory, INDEX, index(models, aliases)));
    return written;
  }

  /** The file name of a version's page: {@code <model>-v<version>.html}. */
  public static String pageName(String model, int version) {
    if (model == null || !SAFE_NAME.matcher(model).matches()) {
      throw new IllegalArgumentException(
          "model name `"
              + model
              + "` cannot name a report file: use letters, digits, `.`, `-` and `_`");
    }
    return model + "-v" + version + ".html";
  }

  String page(
      ModelRegistry registry,
      ModelVersion version,
      List<ModelVersion> siblings,
      Map<String, Integer> aliases,
      boolean linked) {
    Manifest manifest = version.manifest();
    String heading = manifest.name() + " v" + version.version();
    StringBuilder html = documentStart(heading + " \u2014 Lakerank model report");

    html.append("<header>");
    if (linked) {
      html.append("<nav><a href=\"").append(INDEX).append("\">All models</a>");
      for (ModelVersion sibling : siblings) {
        if (sibling.version() == version.version()) {
          html.append("<strong>v").append(sibling.version()).append("</strong> ");
        } else {
          html.append("<a href=\"")
              .append(Html.escape(pageName(sibling.model(), sibling.version())))
              .append("\">v")
              .append(sibling.version())
              .append("</a>");
        }
      }
      html.append("</nav>");
    }
    html.append("<h1>")
        .append(Html.escape(manifest.name()))
        .append(" <span class=\"version\">v")
        .append(version.version())
        .append("</span>");
    aliasBadges(html, aliases, version.version());
    html.append("</h1><dl class=\"facts\">");
    fact(
        html,
        "Kind",
        manifest.kind().value() + (manifest.kind().isRanker() ? " (ranker)" : " (recommender)"));
    fact(html, "Created", manifest.createdAt());
    fact(html, "Registered", version.registeredAt());
    fact(html, "Spark", manifest.sparkVersion() == null ? "unknown" : manifest.sparkVersion());
    fact(html, "Bundle", version.source());
    html.append("</dl></header><main>");

    LoadedEvaluation loaded = readEvaluation(registry, version);
    Evaluation evaluation = loaded.evaluation();

    metricsSection(html, version, evaluation, siblings, aliases);
    paramsSection(html, manifest);
    lineageSection(html, manifest);
    featuresSection(html, manifest);

    html.append("<section id=\"evaluation\"><h2>Evaluation</h2>");
    if (evaluation == null) {
      html.append("<p class=\"")
          .append(loaded.failed() ? "problem" : "empty")
          .append("\">")
          .append(Html.escape(loaded.missing()))
          .append("</p>");
    } else {
      html.append("<div class=\"charts\">");
      rocChart(html, evaluation);
      prChart(html, evaluation);
      calibrationChart(html, evaluation);
      atKChart(html, evaluation, manifest);
      importanceChart(html, evaluation);
      html.append("</div>");
    }
    html.append("</section>");

    acrossVersionsSection(html, version, siblings);

    if (evaluation != null) {
      html.append("<section id=\"notes\"><h2>Notes</h2>");
      if (evaluation.notes().isEmpty()) {
        html.append("<p class=\"empty\">The evaluation has no notes.</p>");
      } else {
        html.append("<ul class=\"notes\">");
        for (String note : evaluation.notes()) {
          html.append("<li>").append(Html.escape(note)).append("</li>");
        }
        html.append("</ul>");
      }
      html.append("</section>");
    }
    return html.append("</main></body></html>\n").toString();
  }

  String index(Map<String, List<ModelVersion>> models, Map<String, Map<String, Integer>> aliases) {
    StringBuilder html = documentStart("Lakerank models");
    html.append("<header><h1>Models</h1></header><main>");
    if (models.isEmpty()) {
      html.append(
          "<section><p class=\"empty\">The registry has no models yet: train one with <code>lakerank train</code>.</p></section>");
    }
    for (Map.Entry<String, List<ModelVersion>> model : models.entrySet()) {
      List<ModelVersion> versions = model.getValue();
      Set<String> metricNames = new LinkedHashSet<>();
      if (!versions.isEmpty()) {
        versions.get(versions.size() - 1).manifest().metrics().keySet().stream()
            .limit(4)
            .forEach(metricNames::add);
      }
      html.append("<section id=\"model-")
          .append(Html.escape(model.getKey()))
          .append("\"><h2>")
          .append(Html.escape(model.getKey()))
          .append("</h2>");
      html.append(
          "<table><thead><tr><th>Version</th><th>Kind</th><th>Created</th><th>Registered</th>");
      for (String metric : metricNames) {
        html.append("<th>").append(Html.escape(metric)).append("</th>");
      }
      html.append("</tr></thead><tbody>");
      for (int i = versions.size() - 1; i >= 0; i--) {
        ModelVersion version = versions.get(i);
        html.append("<tr><td><a href=\"")
            .append(Html.escape(pageName(version.model(), version.version())))
            .append("\">v")
            .append(version.version())
            .append("</a>");
        aliasBadges(html, aliases.getOrDefault(model.getKey(), Map.of()), version.version());
        html.append("</td><td>")
            .append(Html.escape(version.manifest().kind().value()))
            .append("</td><td>")
            .append(Html.escape(version.manifest().createdAt()))
            .append("</td><td>")
            .append(Html.escape(version.registeredAt()))
            .append("</td>");
        for (String metric : metricNames) {
          Double value = version.manifest().metrics().get(metric);
          html.append("<td class=\"number\">")
              .append(value == null ? "\u2014" : Html.escape(NumberText.value(value)))
              .append("</td>");
        }
        html.append("</tr>");
      }
      html.append("</tbody></table></section>");
    }
    return html.append("</main></body></html>\n").toString();
  }

  private static LoadedEvaluation readEvaluation(ModelRegistry registry, ModelVersion version) {
    if (!version.manifest().files().containsKey(Evaluation.FILE)) {
      return new LoadedEvaluation(
          null,
          "This bundle has no "
              + Evaluation.FILE
              + ", so there are no curves to draw; the metrics above come from its manifest.",
          false);
    }
    try {
      return new LoadedEvaluation(
          registry.open(version).readJson(Evaluation.FILE, Evaluation.class), null, false);
    } catch (BundleException e) {
      // One damaged version should not stop the report of the others; the page says what failed.
      return new LoadedEvaluation(
          null, "The evaluation could not be read: " + e.getMessage(), true);
    }
  }

  private static void metricsSection(
      StringBuilder html,
      ModelVersion version,
      Evaluation evaluation,
      List<ModelVersion> siblings,
      Map<String, Integer> aliases) {
    Map<String, Double> metrics = new LinkedHashMap<>(version.manifest().metrics());
    if (evaluation != null) {
      evaluation.metrics().forEach(metrics::putIfAbsent);
    }
    Integer championNumber = aliases.get(ModelRegistry.CHAMPION);
    ModelVersion champion =
        championNumber == null || championNumber == version.version()
            ? null
            : siblings.stream().filter(v -> v.version() == championNumber).findFirst().orElse(null);

    html.append("<section id=\"metrics\"><h2>Metrics</h2>");
    if (metrics.isEmpty()) {
      html.append("<p class=\"empty\">The manifest records no metrics.</p></section>");
      return;
    }
    html.append("<table><thead><tr><th>Metric</th><th>Value</th>");
    if (champion != null) {
      html.append("<th>Champion (v").append(champion.version()).append(")</th><th>Difference</th>");
    }
    html.append("</tr></thead><tbody>");
    for (Map.Entry<String, Double> metric : metrics.entrySet()) {
      html.append("<tr><td>")
          .append(Html.escape(metric.getKey()))
          .append("</td><td class=\"number\">")
          .append(number(metric.getValue()))
          .append("</td>");
      if (champion != null) {
        Double theirs = champion.manifest().metrics().get(metric.getKey());
        html.append("<td class=\"number\">")
            .append(number(theirs))
            .append("</td><td class=\"number\">");
        if (theirs != null && metric.getValue() != null) {
          double difference = metric.getValue() - theirs;
          html.append(difference > 0 ? "+" : "").append(Html.escape(NumberText.value(difference)));
        } else {
          html.append("\u2014");
        }
        html.append("</td>");
      }
      html.append("</tr>");
    }
    html.append("</tbody></table></section>");
  }

  private static void paramsSection(StringBuilder html, Manifest manifest) {
    html.append("<section id=\"params\"><h2>Parameters</h2>");
    if (manifest.params().isEmpty()) {
      html.append("<p class=\"empty\">The manifest records no parameters.</p>");
    } else {
      html.append("<table><tbody>");
      for (Map.Entry<String, Object> param : new TreeMap<>(manifest.params()).entrySet()) {
        html.append("<tr><th>")
            .append(Html.escape(param.getKey()))
            .append("</th><td class=\"code\">")
            .append(Html.escape(paramText(param.getValue())))
            .append("</td></tr>");
      }
      html.append("</tbody></table>");
    }
    html.append("</section>");
  }

  private static void lineageSection(StringBuilder html, Manifest manifest) {
    html.append("<section id=\"lineage\"><h2>Lineage</h2>");
    if (manifest.lineage().isEmpty()) {
      html.append("<p class=\"empty\">The manifest records no lineage.</p>");
    } else {
      html.append("<dl class=\"facts\">");
      manifest.lineage().forEach((key, value) -> fact(html, key, value));
      html.append("</dl>");
    }
    html.append("<h2 style=\"margin-top:16px\">Training tables</h2>");
    if (manifest.trainingTables().isEmpty()) {
      html.append("<p class=\"empty\">The manifest records no training tables.</p>");
    } else {
      html.append(
          "<table><thead><tr><th>Table</th><th>Delta version read</th></tr></thead><tbody>");
      manifest
          .trainingTables()
          .forEach(
              (table, deltaVersion) ->
                  html.append("<tr><td class=\"code\">")
                      .append(Html.escape(table))
                      .append("</td><td class=\"number\">")
                      .append(deltaVersion == null ? "\u2014" : deltaVersion.toString())
                      .append("</td></tr>"));
      html.append("</tbody></table>");
    }
    html.append("</section>");
  }

  private static void featuresSection(StringBuilder html, Manifest manifest) {
    html.append("<section id=\"features\"><h2>Features (")
        .append(manifest.features().size())
        .append(", in input order)</h2>");
    if (manifest.features().isEmpty()) {
      html.append("<p class=\"empty\">The manifest lists no features.</p>");
    } else {
      html.append("<ol class=\"features\">");
      for (String feature : manifest.features()) {
        html.append("<li>").append(Html.escape(feature)).append("</li>");
      }
      html.append("</ol>");
    }
    html.append("</section>");
  }

  private static void rocChart(StringBuilder html, Evaluation evaluation) {
    if (evaluation.roc().isEmpty()) {
      skip(html, "ROC curve", "the evaluation has no ROC points (recommenders have none).");
      return;
    }
    Double area = metric(evaluation.metrics(), ROC_AREA_NAMES);
    String legend =
        "Model (AUC " + NumberText.value(area != null ? area : trapezoid(evaluation.roc())) + ")";
    figure(
        html,
        new SvgChart("ROC curve", "False positive rate", "True positive rate")
            .xRange(0, 1)
            .yRange(0, 1)
            .line(
                "Chance (AUC 0.5)", List.of(new Point(0, 0), new Point(1, 1)), SvgChart.GREY, true)
            .line(legend, evaluation.roc(), SvgChart.color(0), false)
            .render());
  }

  private static void prChart(StringBuilder html, Evaluation evaluation) {
    if (evaluation.pr().isEmpty()) {
      skip(
          html,
          "Precision-recall curve",
          "the evaluation has no precision-recall points (recommenders have none).");
      return;
    }
    Double area = metric(evaluation.metrics(), PR_AREA_NAMES);
    List<Point> byRecall =
        evaluation.pr().stream().sorted(Comparator.comparingDouble(Point::x)).toList();
    String legend =
        "Model (area " + NumberText.value(area != null ? area : trapezoid(byRecall)) + ")";
    figure(
        html,
        new SvgChart("Precision-recall curve", "Recall", "Precision")
            .xRange(0, 1)
            .yRange(0, 1)
            .line(legend, evaluation.pr(), SvgChart.color(1), false)
            .render());
  }

  private static void calibrationChart(StringBuilder html, Evaluation evaluation) {
    if (evaluation.calibration().isEmpty()) {
      skip(html, "Calibration", "the evaluation has no calibration bins (recommenders have none).");
      return;
    }
    List<CalibrationBin> bins =
        evaluation.calibration().stream()
            .sorted(Comparator.comparingDouble(CalibrationBin::lower))
            .toList();
    List<Point> observed =
        bins.stream()
            .filter(b -> b.count() > 0)
            .map(b -> new Point(b.meanPredicted(), b.observedRate()))
            .toList();
    long tallest = bins.stream().mapToLong(CalibrationBin::count).max().orElse(0);
    figure(
        html,
        new SvgChart(
                "Calibration (reliability)", "Mean predicted probability", "Observed positive rate")
            .xRange(0, 1)
            .yRange(0, 1)
            .bars(
                bins.stream().map(b -> new SvgChart.Bar(b.lower(), b.upper(), b.count())).toList(),
                "Rows per bin (largest " + NumberText.value(tallest) + ")")
            .line(
                "Perfectly calibrated",
                List.of(new Point(0, 0), new Point(1, 1)),
                SvgChart.GREY,
                true)
            .line("Model", observed, SvgChart.color(2), false)
            .render());
  }

  private static void atKChart(StringBuilder html, Evaluation evaluation, Manifest manifest) {
    if (evaluation.atK().isEmpty()) {
      skip(
          html,
          "Metrics at K",
          manifest.kind().isRanker()
              ? "a ranker is evaluated on scores, not on top-K lists."
              : "the evaluation has no metric@K values.");
      return;
    }
    List<String> names = new ArrayList<>(evaluation.atK().keySet());
    names.sort(
        Comparator.comparingInt(
                (String name) ->
                    AT_K_ORDER.contains(name) ? AT_K_ORDER.indexOf(name) : AT_K_ORDER.size())
            .thenComparing(Comparator.naturalOrder()));
    Set<Double> ks = new java.util.TreeSet<>();
    SvgChart chart = new SvgChart("Metrics at K", "K (list length)", "Value");
    int index = 0;
    for (String name : names) {
      Map<Integer, Double> byK =
          new TreeMap<>(evaluation.atK().get(name) == null ? Map.of() : evaluation.atK().get(name));
      List<Point> points = new ArrayList<>();
      byK.forEach(
          (k, value) -> {
            if (value != null) {
              points.add(new Point(k, value));
              ks.add(k.doubleValue());
            }
          });
      chart.line(name + "@K", points, SvgChart.color(index++), false);
    }
    double top =
        evaluation.atK().values().stream()
            .filter(java.util.Objects::nonNull)
            .flatMap(m -> m.values().stream())
            .filter(v -> v != null && Double.isFinite(v))
            .mapToDouble(Double::doubleValue)
            .max()
            .orElse(1);
    figure(html, chart.yRange(0, top <= 1 ? 1 : top).xTicks(List.copyOf(ks)).render());
  }

  private static void importanceChart(StringBuilder html, Evaluation evaluation) {
    if (evaluation.featureImportance().isEmpty()) {
      skip(html, "Feature importance", "the evaluation has no feature importances.");
      return;
    }
    List<Map.Entry<String, Double>> top =
        evaluation.featureImportance().entrySet().stream()
            .filter(e -> e.getValue() != null && Double.isFinite(e.getValue()))
            .sorted(
                Comparator.comparingDouble((Map.Entry<String, Double> e) -> Math.abs(e.getValue()))
                    .reversed())
            .limit(TOP_FEATURES)
            .toList();
    int total = evaluation.featureImportance().size();
    String title =
        total > TOP_FEATURES
            ? "Feature importance (top " + TOP_FEATURES + " of " + total + ")"
            : "Feature importance";
    figure(html, SvgChart.horizontalBars(title, "Importance", top));
  }

  private static void acrossVersionsSection(
      StringBuilder html, ModelVersion version, List<ModelVersion> siblings) {
    html.append("<section id=\"across-versions\"><h2>Metrics across versions</h2>");
    if (siblings.size() < 2) {
      html.append("<p class=\"skip\">This is the only version of ")
          .append(Html.escape(version.model()))
          .append(", so there is nothing to compare.</p></section>");
      return;
    }
    // A metric is charted when this version and at least one other have a finite value for it.
    List<String> shared = new ArrayList<>();
    for (Map.Entry<String, Double> metric : version.manifest().metrics().entrySet()) {
      long having =
          siblings.stream()
              .filter(v -> finite(v.manifest().metrics().get(metric.getKey())))
              .count();
      if (finite(metric.getValue()) && having >= 2) {
        shared.add(metric.getKey());
      }
    }
    if (shared.isEmpty()) {
      html.append(
          "<p class=\"skip\">No metric of this version is recorded by another version.</p></section>");
      return;
    }
    html.append("<div class=\"charts\">");
    for (String metric : shared) {
      List<Point> points =
          siblings.stream()
              .filter(v -> finite(v.manifest().metrics().get(metric)))
              .map(v -> new Point(v.version(), v.manifest().metrics().get(metric)))
              .toList();
      double current = version.manifest().metrics().get(metric);
      figure(
          html,
          new SvgChart(metric + " by version", "Version", metric)
              .integerX()
              .line(metric, points, SvgChart.color(0), false)
              .highlight(
                  new Point(version.version(), current),
                  "v" + version.version() + ": " + NumberText.value(current))
              .render());
    }
    html.append("</div></section>");
  }

  private static StringBuilder documentStart(String title) {
    StringBuilder html = new StringBuilder(64 * 1024);
    // Void elements are self-closed and the style has no markup characters, so the page is also
    // well-formed XML; the tests parse it as such.
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
        .append("<meta name=\"generator\" content=\"Lakerank\"/>")
        .append("<title>")
        .append(Html.escape(title))
        .append("</title><style>\n")
        .append(STYLE)
        .append("</style></head><body>");
    return html;
  }

  private static void aliasBadges(StringBuilder html, Map<String, Integer> aliases, int version) {
    aliases.forEach(
        (alias, target) -> {
          if (target != null && target == version) {
            html.append(" <span class=\"badge ")
                .append(Html.escape(alias))
                .append("\">")
                .append(Html.escape(alias))
                .append("</span>");
          }
        });
  }

  private static void fact(StringBuilder html, String term, String value) {
    html.append("<dt>")
        .append(Html.escape(term))
        .append("</dt><dd>")
        .append(Html.escape(value))
        .append("</dd>");
  }

  private static void figure(StringBuilder html, String svg) {
    html.append("<figure>").append(svg).append("</figure>");
  }

  private static void skip(StringBuilder html, String chart, String reason) {
    html.append("<figure><p class=\"skip\">")
        .append(Html.escape(chart))
        .append(" does not apply: ")
        .append(Html.escape(reason))
        .append("</p></figure>");
  }

  private static String number(Double value) {
    return value == null ? "\u2014" : Html.escape(NumberText.value(value));
  }

  private static boolean finite(Double value) {
    return value != null && Double.isFinite(value);
  }

  private static Double metric(Map<String, Double> metrics, List<String> names) {
    for (Map.Entry<String, Double> metric : metrics.entrySet()) {
      if (names.contains(metric.getKey().toLowerCase(Locale.ROOT)) && finite(metric.getValue())) {
        return metric.getValue();
      }
    }
    return null;
  }

  /** Area under a curve by the trapezoidal rule, the points taken in x order. */
  static double trapezoid(List<Point> points) {
    List<Point> sorted =
        points.stream()
            .filter(p -> Double.isFinite(p.x()) && Double.isFinite(p.y()))
            .sorted(Comparator.comparingDouble(Point::x))
            .toList();
    double area = 0;
    for (int i = 1; i < sorted.size(); i++) {
      area +=
          (sorted.get(i).x() - sorted.get(i - 1).x())
              * (sorted.get(i).y() + sorted.get(i - 1).y())
              / 2;
    }
    return area;
  }

  private static String paramText(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d)
          ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString()
          : Double.toString(d);
    }
    if (value instanceof Number || value instanceof String || value instanceof Boolean) {
      return value.toString();
    }
    try {
      return Json.MAPPER
          .writer()
          .without(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return value.toString();
    }
  }

  private static Path writeFile(Path directory, String name, String content) {
    Path target = directory.resolve(name);
    Path temporary = directory.resolve("." + name + ".tmp");
    try {
      Files.createDirectories(directory);
      Files.writeString(temporary, content, StandardCharsets.UTF_8);
      Files.move(
          temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report " + target + ": " + e.getMessage(), e);
    }
    return target;
  }
}
