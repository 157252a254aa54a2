package dev.lakerank.model.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.model.bundle.BundleWriter;
import dev.lakerank.model.bundle.Evaluation;
import dev.lakerank.model.bundle.Evaluation.CalibrationBin;
import dev.lakerank.model.bundle.Evaluation.Point;
import dev.lakerank.model.bundle.Manifest;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.bundle.ModelKind;
import dev.lakerank.model.registry.LocalModelRegistry;
import dev.lakerank.model.registry.ModelRegistry;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class ModelReportTest {
  private static final Pattern SVG = Pattern.compile("<svg\\b.*?</svg>", Pattern.DOTALL);
  private static final String NOTE = "held out the last 7 days <script>alert('x')</script> & more";

  @TempDir Path temp;
  private LocalModelRegistry registry;
  private final ModelReport report = new ModelReport();

  @BeforeEach
  void createRegistry() {
    registry =
        new LocalModelRegistry(
            temp.resolve("registry"),
            Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC));
  }

  @Test
  void rankerPageShowsTheManifestAndDrawsEveryRankerChart() throws Exception {
    registerRanker("v1", 0.71, 0.52, rankerEvaluation(0.71));
    registerRanker("v2", 0.8125, 0.47, rankerEvaluation(0.8125));
    registry.setAlias("ranker", ModelRegistry.CHAMPION, 1, "first");
    registry.setAlias("ranker", ModelRegistry.CHALLENGER, 2, "candidate");

    Path page = report.write(registry, "ranker", 2, temp.resolve("out"));

    assertThat(page).isEqualTo(temp.resolve("out").resolve("ranker-v2.html")).isRegularFile();
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertThat(html)
        .contains(
            "<h1>ranker <span class=\"version\">v2</span> <span class=\"badge challenger\">challenger</span></h1>")
        .doesNotContain("badge champion")
        .contains("gbt (ranker)", "2024-01-02T03:04:05Z", "2024-05-01T10:00:00Z", "3.5.1")
        // metrics: value, champion's value and the difference
        .contains(
            "<td>auc</td><td class=\"number\">0.8125</td><td class=\"number\">0.71</td><td class=\"number\">+0.1025</td>")
        .contains("<td>log_loss</td><td class=\"number\">0.47</td>")
        .contains("Champion (v1)")
        .contains(
            "<th>maxDepth</th><td class=\"code\">5</td>",
            "<th>stepSize</th><td class=\"code\">0.1</td>")
        .contains("run_id", "run-v2")
        .contains("<td class=\"code\">lake.events</td><td class=\"number\">42</td>")
        .contains("Model (AUC 0.8125)")
        .contains("Metrics at K does not apply");
    assertThat(html.indexOf("<li>user_clicks_7d</li>"))
        .isLessThan(html.indexOf("<li>item_price</li>"));
    assertThat(html.indexOf("<li>item_price</li>"))
        .isLessThan(html.indexOf("<li>hour_of_day</li>"));

    List<Document> charts = svgs(html);
    assertThat(charts)
        .extracting(ModelReportTest::title)
        .containsExactly(
            "ROC curve",
            "Precision-recall curve",
            "Calibration (reliability)",
            "Feature importance",
            "auc by version",
            "log_loss by version");
    Document roc = charts.get(0);
    assertThat(elements(roc, "polyline")).hasSize(2); // diagonal and curve
    assertThat(texts(roc))
        .contains("False positive rate", "True positive rate", "0.0", "0.2", "1.0");
    Document calibration = charts.get(2);
    assertThat(elements(calibration, "rect"))
        .hasSizeGreaterThanOrEqualTo(4); // 4 bins (+ the legend swatch)
    assertThat(texts(calibration)).contains("120", "Rows per bin (largest 400)");
    assertThat(texts(charts.get(3)))
        .containsSubsequence("user_clicks_7d", "item_price", "hour_of_day");
    assertThat(texts(charts.get(4))).contains("v2: 0.8125", "1", "2");

    assertThat(html)
        .doesNotContain("<script")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more");
    parse(html); // the whole page is well-formed XML too
  }

  @Test
  void recommenderPageDrawsOneLinePerMetricAtK() throws Exception {
    Map<String, Map<Integer, Double>> atK = new LinkedHashMap<>();
    atK.put("recall", Map.of(5, 0.10, 10, 0.18, 20, 0.27));
    atK.put("precision", Map.of(5, 0.21, 10, 0.17, 20, 0.12));
    atK.put("ndcg", Map.of(5, 0.25, 10, 0.28, 20, 0.31));
    atK.put("map", Map.of(5, 0.11, 10, 0.12, 20, 0.125));
    atK.put("hit_rate", Map.of(5, 0.40, 10, 0.55, 20, 0.68));
    Evaluation evaluation =
        new Evaluation(
            Map.of("ndcg_at_10", 0.28), null, null, null, atK, null, List.of("1000 users"));
    register("als", ModelKind.ALS, Map.of("ndcg_at_10", 0.28), evaluation, "v1");

    String html =
        Files.readString(
            report.write(registry, "als", 1, temp.resolve("out")), StandardCharsets.UTF_8);

    assertThat(html)
        .contains(
            "als (recommender)",
            "ROC curve does not apply",
            "Precision-recall curve does not apply",
            "Calibration does not apply",
            "Feature importance does not apply",
            "This is the only version of als");
    List<Document> charts = svgs(html);
    assertThat(charts).extracting(ModelReportTest::title).containsExactly("Metrics at K");
    assertThat(elements(charts.get(0), "polyline")).hasSize(5);
    assertThat(texts(charts.get(0)))
        .containsSubsequence("precision@K", "recall@K", "ndcg@K", "map@K", "hit_rate@K")
        .contains("5", "10", "20", "K (list length)");
  }

  @Test
  void pageSaysSoWhenTheBundleHasNoEvaluation() throws Exception {
    register("ranker", ModelKind.LOGISTIC_REGRESSION, Map.of("auc", 0.66), null, "v1");

    String html =
        Files.readString(
            report.write(registry, "ranker", 1, temp.resolve("out")), StandardCharsets.UTF_8);

    assertThat(html)
        .contains("This bundle has no evaluation.json")
        .contains("<td>auc</td><td class=\"number\">0.66</td>")
        .doesNotContain("id=\"notes\"");
    assertThat(svgs(html)).isEmpty();
    parse(html);
  }

  @Test
  void writeAllLinksEveryVersionFromTheIndexWithAliasBadges() throws Exception {
    registerRanker("v1", 0.71, 0.52, rankerEvaluation(0.71));
    registerRanker("v2", 0.8125, 0.47, rankerEvaluation(0.8125));
    register("als", ModelKind.ALS, Map.of("map", 0.12), null, "v1");
    registry.setAlias("ranker", ModelRegistry.CHAMPION, 1, "first");

    List<Path> written = report.writeAll(registry, temp.resolve("site"));

    Path site = temp.resolve("site");
    assertThat(written)
        .containsExactly(
            site.resolve("als-v1.html"),
            site.resolve("ranker-v1.html"),
            site.resolve("ranker-v2.html"),
            site.resolve("index.html"));
    assertThat(written).allSatisfy(path -> assertThat(path).isRegularFile());
    String index = Files.readString(site.resolve("index.html"), StandardCharsets.UTF_8);
    assertThat(index)
        .contains(
            "<a href=\"als-v1.html\">v1</a>",
            "<a href=\"ranker-v2.html\">v2</a>",
            "<a href=\"ranker-v1.html\">v1</a> <span class=\"badge champion\">champion</span>");
    assertThat(index.indexOf("ranker-v2.html"))
        .isLessThan(index.indexOf("ranker-v1.html")); // newest first
    String second = Files.readString(site.resolve("ranker-v2.html"), StandardCharsets.UTF_8);
    assertThat(second)
        .contains("<a href=\"index.html\">All models</a>", "<a href=\"ranker-v1.html\">v1</a>");
    parse(index);
    parse(second);
  }

  @Test
  void longCurvesAreDownsampledAndKeepTheirEnds() throws Exception {
    List<Point> roc =
        IntStream.rangeClosed(0, 5000)
            .mapToObj(i -> new Point(i / 5000.0, Math.sqrt(i / 5000.0)))
            .toList();
    Evaluation evaluation = new Evaluation(Map.of(), roc, null, null, null, null, null);
    register("ranker", ModelKind.GBT, Map.of(), evaluation, "v1");

    String html =
        Files.readString(
            report.write(registry, "ranker", 1, temp.resolve("out")), StandardCharsets.UTF_8);

    Element curve = elements(svgs(html).get(0), "polyline").get(1);
    String[] points = curve.getAttribute("points").split(" ");
    assertThat(points).hasSize(SvgChart.MAX_POINTS);
    // trapezoid over sqrt on [0, 1] is 2/3 to within the grid's error
    assertThat(html).contains("Model (AUC 0.6667)");
    assertThat(points[0])
        .isEqualTo(
            svgs(html)
                .get(0)
                .getElementsByTagName("polyline")
                .item(0)
                .getAttributes()
                .getNamedItem("points")
                .getNodeValue()
                .split(" ")[0]); // starts at (0, 0), like the diagonal
  }

  // --- helpers -------------------------------------------------------------------------------

  private void registerRanker(String run, double auc, double logLoss, Evaluation evaluation) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("auc", auc);
    metrics.put("log_loss", logLoss);
    register("ranker", ModelKind.GBT, metrics, evaluation, run);
  }

  private void register(
      String name, ModelKind kind, Map<String, Double> metrics, Evaluation evaluation, String run) {
    BundleWriter writer = new BundleWriter(temp.resolve("bundles").resolve(name + "-" + run));
    if (evaluation != null) {
      writer.writeJson(Evaluation.FILE, evaluation);
    }
    writer.writeJson("model/trees.json", Map.of("trees", List.of(1, 2, 3)));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("stepSize", 0.1);
    params.put("maxDepth", 5);
    ModelBundle bundle =
        writer.finish(
            new Manifest(
                Manifest.FORMAT_VERSION,
                name,
                0,
                kind,
                "2024-01-02T03:04:05Z",
                "3.5.1",
                Map.of("lake.events", 42L),
                List.of("user_clicks_7d", "item_price", "hour_of_day"),
                params,
                metrics,
                Map.of("run_id", "run-" + run),
                null));
    registry.register(bundle);
  }

  private static Evaluation rankerEvaluation(double auc) {
    List<Point> roc =
        List.of(new Point(0, 0), new Point(0.1, 0.5), new Point(0.3, 0.8), new Point(1, 1));
    List<Point> pr = List.of(new Point(0, 1), new Point(0.5, 0.7), new Point(1, 0.3));
    List<CalibrationBin> calibration =
        List.of(
            new CalibrationBin(0, 0.25, 400, 0.1, 0.12),
                new CalibrationBin(0.25, 0.5, 120, 0.37, 0.33),
            new CalibrationBin(0.5, 0.75, 60, 0.6, 0.65),
                new CalibrationBin(0.75, 1, 20, 0.85, 0.8));
    Map<String, Double> importance = new LinkedHashMap<>();
    importance.put("user_clicks_7d", 0.5);
    importance.put("item_price", 0.3);
    importance.put("hour_of_day", 0.2);
    return new Evaluation(
        Map.of("auc", auc), roc, pr, calibration, null, importance, List.of(NOTE));
  }

  static List<Document> svgs(String html) throws Exception {
    List<Document> out = new ArrayList<>();
    Matcher matcher = SVG.matcher(html);
    while (matcher.find()) {
      out.add(parse(matcher.group()));
    }
    return out;
  }

  static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  static String title(Document svg) {
    return svg.getDocumentElement().getAttribute("aria-label");
  }

  static List<Element> elements(Document svg, String name) {
    NodeList nodes = svg.getElementsByTagName(name);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add((Element) nodes.item(i));
    }
    return out;
  }

  static List<String> texts(Document svg) {
    return elements(svg, "text").stream().map(Element::getTextContent).toList();
  }
}
