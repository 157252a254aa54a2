package dev.lakerank.model.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.model.bundle.Evaluation.Point;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The chart drawing on its own: tick labels, overlap, downsampling, escaping. */
class ModelReportChartTest {

  @Test
  void versionAxisLabelsDoNotOverlapForTwoHundredVersions() throws Exception {
    List<Point> points =
        IntStream.rangeClosed(1, 200).mapToObj(v -> new Point(v, 0.7 + v / 1000.0)).toList();
    Document svg =
        ModelReportTest.parse(
            new SvgChart("auc by version", "Version", "auc")
                .integerX()
                .line("auc", points, SvgChart.color(0), false)
                .highlight(points.get(99), "v100")
                .render());

    List<Element> ticks =
        ModelReportTest.elements(svg, "text").stream()
            .filter(
                e ->
                    e.getAttribute("class").equals("tick")
                        && e.getAttribute("text-anchor").equals("middle"))
            .toList();
    assertThat(ticks).hasSizeBetween(3, 12);
    for (Element tick : ticks) {
      assertThat(tick.getTextContent()).matches("[0-9]+"); // versions are whole numbers
    }
    for (int i = 1; i < ticks.size(); i++) {
      double gap =
          Double.parseDouble(ticks.get(i).getAttribute("x"))
              - Double.parseDouble(ticks.get(i - 1).getAttribute("x"));
      double room =
          (SvgChart.textWidth(ticks.get(i).getTextContent())
                  + SvgChart.textWidth(ticks.get(i - 1).getTextContent()))
              / 2;
      assertThat(gap).isGreaterThan(room);
    }
    // no per-point markers beyond 60 points: only the ring of the highlighted version
    assertThat(ModelReportTest.elements(svg, "circle"))
        .extracting(e -> e.getAttribute("class"))
        .containsExactly("highlight");
  }

  @Test
  void downsamplingKeepsEndsAndPeaks() {
    List<Point> points =
        IntStream.range(0, 10_000).mapToObj(i -> new Point(i, i == 5_000 ? 100 : 0)).toList();

    List<Point> kept = SvgChart.downsample(points, 500);

    assertThat(kept)
        .hasSize(500)
        .startsWith(points.get(0))
        .endsWith(points.get(9_999))
        .contains(points.get(5_000));
    assertThat(SvgChart.downsample(points.subList(0, 400), 500)).hasSize(400);
  }

  @Test
  void tickLabelsHaveTheStepsPrecision() {
    assertThat(NumberText.tick(0.5, 0.25)).isEqualTo("0.50");
    assertThat(NumberText.tick(1, 0.2)).isEqualTo("1.0");
    assertThat(NumberText.tick(25_000, 5_000)).isEqualTo("25k");
    assertThat(NumberText.tick(-0.0, 0.1)).isEqualTo("0.0");
    assertThat(NumberText.value(0.812345)).isEqualTo("0.8123");
    assertThat(NumberText.value(1_234_567)).isEqualTo("1,234,567");
    assertThat(NumberText.value(0.00001234)).isEqualTo("1.234e-05");
    assertThat(NumberText.compact(1_500_000)).isEqualTo("1.5M");
    assertThat(NumberText.compact(8_264)).isEqualTo("8.3k");
    assertThat(NumberText.compact(950)).isEqualTo("950");
    assertThat(SvgChart.shorten("feature_view_user_engagement:clicks_last_7_days_mean", 34))
        .isEqualTo("feature_vie\u2026licks_last_7_days_mean");
  }

  @Test
  void labelsAreEscapedAndLongNamesShortened() throws Exception {
    String name = "<b>&" + "x".repeat(60);
    String svg =
        SvgChart.horizontalBars(
            "Feature importance", "Importance", List.of(Map.entry(name, 0.4), Map.entry("b", 0.1)));

    Document document = ModelReportTest.parse(svg);

    assertThat(svg).doesNotContain("<b>");
    assertThat(ModelReportTest.texts(document))
        .anySatisfy(
            text ->
                assertThat(text)
                    .startsWith("<b>&x")
                    .contains("\u2026")
                    .endsWith("xxx")
                    .hasSize(34));
    assertThat(ModelReportTest.elements(document, "title"))
        .extracting(Element::getTextContent)
        .contains(name + ": 0.4");
  }
}
