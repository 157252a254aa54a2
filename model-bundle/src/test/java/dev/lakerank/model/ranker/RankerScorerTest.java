package dev.lakerank.model.ranker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lakerank.model.bundle.BundleException;
import dev.lakerank.model.bundle.BundleWriter;
import dev.lakerank.model.bundle.Manifest;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.bundle.ModelKind;
import dev.lakerank.model.ranker.FeatureTransform.Assemble;
import dev.lakerank.model.ranker.FeatureTransform.Impute;
import dev.lakerank.model.ranker.FeatureTransform.OneHot;
import dev.lakerank.model.ranker.FeatureTransform.Scale;
import dev.lakerank.model.ranker.FeatureTransform.StringIndex;
import dev.lakerank.model.ranker.Input.InputType;
import dev.lakerank.model.ranker.RankerModel.FactorizationMachine;
import dev.lakerank.model.ranker.RankerModel.Logistic;
import dev.lakerank.model.ranker.RankerModel.Tree;
import dev.lakerank.model.ranker.RankerModel.TreeEnsemble;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RankerScorerTest {

  private static Input number(String name) {
    return new Input(name, InputType.NUMERIC);
  }

  private static Input text(String name) {
    return new Input(name, InputType.STRING);
  }

  /**
   * A scorer whose model reads {@code width} features and ignores them (for inspecting features).
   */
  private static RankerScorer scorer(
      List<Input> inputs, List<FeatureTransform> transforms, int width) {
    return new RankerScorer(
        new RankerPipeline(
            inputs, transforms, "features", null, new Logistic(new double[width], 0.0)));
  }

  private static double sigmoid(double margin) {
    return 1.0 / (1.0 + Math.exp(-margin));
  }

  // ---- Impute ----

  @Test
  void imputeReplacesNullAndNaNWithTheSurrogate() {
    RankerScorer scorer =
        scorer(
            List.of(number("a"), number("b")),
            List.of(
                new Impute(
                    List.of("a", "b"), List.of("a_imputed", "b_imputed"), List.of(1.5, -2.0)),
                new Assemble(List.of("a_imputed", "b_imputed", "a"), "features")),
            3);

    assertThat(scorer.features(new Object[] {null, Double.NaN}))
        .containsExactly(1.5, -2.0, Double.NaN);
    assertThat(scorer.features(new Object[] {Float.NaN, 0})).containsExactly(1.5, 0.0, Double.NaN);
    assertThat(scorer.features(new Object[] {3, 4L})).containsExactly(3.0, 4.0, 3.0);
    assertThat(scorer.features(new Object[] {0.25f, true})).containsExactly(0.25, 1.0, 0.25);
  }

  // ---- StringIndex ----

  @Test
  void stringIndexKeepingInvalidMapsUnseenAndNullToTheExtraIndex() {
    RankerScorer scorer =
        scorer(
            List.of(text("device")),
            List.of(
                new StringIndex("device", "device_index", List.of("ios", "android", "web"), true),
                new Assemble(List.of("device_index"), "features")),
            1);

    assertThat(scorer.features(new Object[] {"ios"})).containsExactly(0.0);
    assertThat(scorer.features(new Object[] {"web"})).containsExactly(2.0);
    assertThat(scorer.features(new Object[] {"tv"})).containsExactly(3.0);
    assertThat(scorer.features(new Object[] {null})).containsExactly(3.0);
    assertThat(scorer.features(new Object[] {"IOS"}))
        .as("case-sensitive, like Spark")
        .containsExactly(3.0);
  }

  @Test
  void stringIndexRefusingInvalidNamesTheInputAndValue() {
    RankerScorer scorer =
        scorer(
            List.of(text("device")),
            List.of(
                new StringIndex("device", "device_index", List.of("ios", "android"), false),
                new Assemble(List.of("device_index"), "features")),
            1);

    assertThat(scorer.features(new Object[] {"android"})).containsExactly(1.0);
    assertThatThrownBy(() -> scorer.features(new Object[] {"tv"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("device")
        .hasMessageContaining("`tv`");
    assertThatThrownBy(() -> scorer.features(new Object[] {null}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("device")
        .hasMessageContaining("null");
  }

  // ---- OneHot ----

  /**
   * Spark's OneHotEncoderModel with 3 categories: size = 3 + keepInvalid - dropLast; an index past
   * the categories goes to the invalid slot (kept) and the last slot is dropped (all zeros).
   * Expected vectors are written "i|j|k" ("-" for empty, "error" for refused).
   */
  @ParameterizedTest(name = "dropLast={0} keepInvalid={1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "false; false; 3; 1|0|0; 0|1|0; 0|0|1; error",
        "true;  false; 2; 1|0;   0|1;   0|0;   error",
        "false; true;  4; 1|0|0|0; 0|1|0|0; 0|0|1|0; 0|0|0|1",
        "true;  true;  3; 1|0|0; 0|1|0; 0|0|1; 0|0|0"
      })
  void oneHotMatchesSparkForEveryDropLastAndKeepInvalidCombination(
      boolean dropLast,
      boolean keepInvalid,
      int size,
      String zero,
      String one,
      String two,
      String invalid) {
    OneHot oneHot = new OneHot("category", "category_vector", 3, dropLast, keepInvalid);
    assertThat(oneHot.size()).isEqualTo(size);
    RankerScorer scorer =
        scorer(
            List.of(number("category")),
            List.of(oneHot, new Assemble(List.of("category_vector"), "features")),
            size);

    assertThat(scorer.features(new Object[] {0})).containsExactly(vector(zero));
    assertThat(scorer.features(new Object[] {1.0})).containsExactly(vector(one));
    assertThat(scorer.features(new Object[] {2})).containsExactly(vector(two));
    for (Object bad : new Object[] {3, 7.0, -1, Double.NaN, null}) {
      if (invalid.equals("error")) {
        assertThatThrownBy(() -> scorer.features(new Object[] {bad}))
            .as("value %s", bad)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("category");
      } else {
        assertThat(scorer.features(new Object[] {bad}))
            .as("value %s", bad)
            .containsExactly(vector(invalid));
      }
    }
  }

  private static double[] vector(String text) {
    return Arrays.stream(text.split("\\|")).mapToDouble(Double::parseDouble).toArray();
  }

  @Test
  void oneHotTruncatesAnInRangeFractionalIndexLikeSpark() {
    // Spark: idx = label when 0 <= label < categories, then Vectors.sparse(size, Array(idx.toInt),
    // 1)
    RankerScorer scorer =
        scorer(
            List.of(number("category")),
            List.of(
                new OneHot("category", "v", 3, false, false),
                new Assemble(List.of("v"), "features")),
            3);
    assertThat(scorer.features(new Object[] {1.5})).containsExactly(0.0, 1.0, 0.0);
    assertThat(scorer.features(new Object[] {2.99})).containsExactly(0.0, 0.0, 1.0);
    assertThatThrownBy(() -> scorer.features(new Object[] {3.0}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> scorer.features(new Object[] {-0.5}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unseenTextFlowsThroughStringIndexIntoTheOneHotInvalidSlot() {
    RankerScorer scorer =
        scorer(
            List.of(text("device")),
            List.of(
                new StringIndex("device", "device_index", List.of("ios", "android"), true),
                new OneHot("device_index", "device_vector", 2, true, true),
                new Assemble(List.of("device_vector"), "features")),
            2);

    assertThat(scorer.features(new Object[] {"ios"})).containsExactly(1.0, 0.0);
    assertThat(scorer.features(new Object[] {"android"})).containsExactly(0.0, 1.0);
    assertThat(scorer.features(new Object[] {"tv"})).containsExactly(0.0, 0.0);
  }

  // ---- Assemble and Scale ----

  @Test
  void assembleConcatenatesNumbersAndVectorsInOrder() {
    RankerScorer scorer =
        scorer(
            List.of(number("price"), text("device"), number("age")),
            List.of(
                new StringIndex("device", "device_index", List.of("ios", "android", "web"), false),
                new OneHot("device_index", "device_vector", 3, false, false),
                new Assemble(List.of("price", "device_vector", "age", "device_index"), "features")),
            6);

    assertThat(scorer.features(new Object[] {9.5, "android", 31}))
        .containsExactly(9.5, 0.0, 1.0, 0.0, 31.0, 1.0);
    assertThat(scorer.features(new Object[] {-1, "web", 0}))
        .containsExactly(-1.0, 0.0, 0.0, 1.0, 0.0, 2.0);
  }

  @Test
  void scaleShiftsAndScalesPerFeature() {
    List<Input> inputs = List.of(number("a"), number("b"), number("c"));
    Assemble assemble = new Assemble(List.of("a", "b", "c"), "raw");
    double[] mean = {1.0, 10.0, 5.0};
    // 1/std, and 0 where std was 0 (Spark's StandardScalerModel)
    double[] inverseStd = {0.5, 0.25, 0.0};
    Object[] row = {3.0, 2.0, 7.0};

    RankerScorer both =
        scorer(inputs, List.of(assemble, new Scale("raw", "features", mean, inverseStd)), 3);
    assertThat(both.features(row)).containsExactly(1.0, -2.0, 0.0);

    RankerScorer scaleOnly =
        scorer(
            inputs, List.of(assemble, new Scale("raw", "features", new double[0], inverseStd)), 3);
    assertThat(scaleOnly.features(row)).containsExactly(1.5, 0.5, 0.0);

    RankerScorer shiftOnly =
        scorer(inputs, List.of(assemble, new Scale("raw", "features", mean, new double[0])), 3);
    assertThat(shiftOnly.features(row)).containsExactly(2.0, -8.0, 2.0);

    // the input vector is not modified in place
    RankerScorer raw =
        new RankerScorer(
            new RankerPipeline(
                inputs,
                List.of(assemble, new Scale("raw", "features", mean, inverseStd)),
                "raw",
                null,
                new Logistic(new double[3], 0)));
    assertThat(raw.features(row)).containsExactly(3.0, 2.0, 7.0);
  }

  @Test
  void scaleWhoseStatisticsDoNotMatchTheVectorIsRefusedWhenBuilt() {
    List<Input> inputs = List.of(number("a"), number("b"));
    Assemble assemble = new Assemble(List.of("a", "b"), "raw");
    assertThatThrownBy(
            () ->
                scorer(
                    inputs,
                    List.of(
                        assemble,
                        new Scale("raw", "features", new double[] {1.0}, new double[] {1.0, 1.0})),
                    2))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("raw");
    assertThatThrownBy(
            () ->
                scorer(
                    inputs,
                    List.of(
                        assemble,
                        new Scale("raw", "features", new double[0], new double[] {1.0, 1.0, 1.0})),
                    2))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("raw");
  }

  // ---- Models ----

  @Test
  void logisticProbabilityIsTheSigmoidOfTheMargin() {
    RankerScorer scorer =
        new RankerScorer(
            new RankerPipeline(
                List.of(number("a"), number("b")),
                List.of(new Assemble(List.of("a", "b"), "features")),
                "features",
                List.of("a", "b"),
                new Logistic(new double[] {0.5, -1.0}, 0.25)));

    // 0.25 + 0.5 * 2 - 1 * 1 = 0.25
    assertThat(scorer.score(new Object[] {2, 1})).isCloseTo(0.5621765008857981, within(1e-15));
    // 0.25 + 0 - 3 = -2.75
    assertThat(scorer.score(new Object[] {0, 3})).isCloseTo(sigmoid(-2.75), within(1e-15));
    assertThat(scorer.score(new Object[][] {{2, 1}, {0, 3}}))
        .containsExactly(new double[] {0.5621765008857981, sigmoid(-2.75)}, within(1e-15));
  }

  /**
   * Tree 1: x0 <= 1.5 ? (x2 <= -1 ? 0.9 : 0.4) : -0.2. Tree 2: x1 in {0, 2} ? 0.3 : -0.1
   * (categorical). Weights 1.0 and 0.1 (Spark's GBT: first tree weight 1, later ones the step
   * size).
   */
  private static TreeEnsemble ensemble() {
    Tree continuous =
        new Tree(
            new int[] {0, 2, -1, -1, -1},
            new double[] {1.5, -1.0, 0, 0, 0},
            new int[] {1, 3, -1, -1, -1},
            new int[] {2, 4, -1, -1, -1},
            new double[] {0, 0, -0.2, 0.9, 0.4},
            null);
    Tree categorical =
        new Tree(
            new int[] {1, -1, -1},
            new double[] {0, 0, 0},
            new int[] {1, -1, -1},
            new int[] {2, -1, -1},
            new double[] {0, 0.3, -0.1},
            new double[][] {{0.0, 2.0}, null, null});
    return new TreeEnsemble(3, List.of(continuous, categorical), new double[] {1.0, 0.1});
  }

  @ParameterizedTest(name = "x=({0}, {1}, {2}) margin {3}")
  @CsvSource({
    "1.0, 2.0, 0.0, 0.43", // left then right: 0.4; category 2 in {0,2}: 0.3
    "1.5, 1.0, -1.0, 0.89", // threshold is inclusive: 0.9; category 1 not in set: -0.1
    "2.0, 0.0, -5.0, -0.17", // right: -0.2; category 0: 0.3
    "1.0, 3.0, -1.5, 0.89"
  })
  void treeEnsembleProbabilityIsLogisticOfTwiceTheMargin(
      double x0, double x1, double x2, double margin) {
    RankerScorer scorer =
        new RankerScorer(
            new RankerPipeline(
                List.of(number("x0"), number("x1"), number("x2")),
                List.of(new Assemble(List.of("x0", "x1", "x2"), "features")),
                "features",
                null,
                ensemble()));

    assertThat(scorer.score(new Object[] {x0, x1, x2}))
        .isCloseTo(1.0 / (1.0 + Math.exp(-2.0 * margin)), within(1e-12));
  }

  @Test
  void treeSendsNaNRightOnAContinuousSplit() {
    assertThat(ensemble().trees().get(0).predict(new double[] {Double.NaN, 0, 0})).isEqualTo(-0.2);
  }

  @Test
  void factorizationMachineMatchesAHandComputedExample() {
    // w0 = 0.1, w = (0.2, -0.3, 0.5), v0 = (1, 2), v1 = (0.5, -1), v2 = (3, 0)
    FactorizationMachine fm =
        new FactorizationMachine(
            0.1, new double[] {0.2, -0.3, 0.5}, new double[][] {{1, 2}, {0.5, -1}, {3, 0}});
    RankerScorer scorer =
        new RankerScorer(
            new RankerPipeline(
                List.of(number("a"), number("b"), number("c")),
                List.of(new Assemble(List.of("a", "b", "c"), "features")),
                "features",
                null,
                fm));

    // x = (1, 2, 0): 0.1 + (0.2 - 0.6) + <v0,v1>*1*2 = 0.1 - 0.4 + (0.5 - 2) * 2 = -3.3
    assertThat(scorer.score(new Object[] {1, 2, 0})).isCloseTo(sigmoid(-3.3), within(1e-12));
    // x = (1, 1, 1): 0.1 + 0.4 + (<v0,v1> + <v0,v2> + <v1,v2>) = 0.5 + (-1.5 + 3 + 1.5) = 3.5
    assertThat(scorer.score(new Object[] {1, 1, 1})).isCloseTo(sigmoid(3.5), within(1e-12));
    // x = (0, 0, 2): only linear, the self-interaction cancels: 0.1 + 1.0 = 1.1
    assertThat(scorer.score(new Object[] {0, 0, 2})).isCloseTo(sigmoid(1.1), within(1e-12));
  }

  // ---- Rows ----

  @Test
  void scoreByNameTreatsAbsentNamesAsMissing() {
    RankerScorer scorer =
        new RankerScorer(
            new RankerPipeline(
                List.of(number("a"), number("b")),
                List.of(
                    new Impute(List.of("a", "b"), List.of("a2", "b2"), List.of(4.0, 8.0)),
                    new Assemble(List.of("a2", "b2"), "features")),
                "features",
                null,
                new Logistic(new double[] {0.5, -0.25}, 0.0)));

    Map<String, Object> row = new HashMap<>();
    row.put("a", 2.0);
    // b absent: imputed 8
    assertThat(scorer.score(row)).isCloseTo(sigmoid(1.0 - 2.0), within(1e-15));
    assertThat(scorer.score(row)).isEqualTo(scorer.score(new Object[] {2.0, null}));
  }

  @Test
  void wrongRowLengthIsRefusedListingTheInputs() {
    RankerScorer scorer =
        scorer(
            List.of(number("user:ctr_7d"), text("device")),
            List.of(
                new StringIndex("device", "d", List.of("ios"), true),
                new Assemble(List.of("user:ctr_7d", "d"), "features")),
            2);
    assertThatThrownBy(() -> scorer.score(new Object[] {1.0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 2 values")
        .hasMessageContaining("user:ctr_7d")
        .hasMessageContaining("device")
        .hasMessageContaining("got 1");
  }

  @Test
  void wrongInputTypeIsRefusedNamingTheInput() {
    RankerScorer scorer =
        scorer(
            List.of(number("user:ctr_7d"), text("device")),
            List.of(
                new StringIndex("device", "d", List.of("ios"), true),
                new Assemble(List.of("user:ctr_7d", "d"), "features")),
            2);
    assertThatThrownBy(() -> scorer.score(new Object[] {"0.5", "ios"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user:ctr_7d")
        .hasMessageContaining("String");
    assertThatThrownBy(() -> scorer.score(new Object[] {0.5, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("device")
        .hasMessageContaining("Integer");
  }

  // ---- Pipeline validation ----

  @Test
  void pipelineReadingAnUnknownColumnIsRefused() {
    assertThatThrownBy(
            () ->
                scorer(
                    List.of(number("a")),
                    List.of(new Assemble(List.of("a", "missing_column"), "features")),
                    2))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("missing_column")
        .hasMessageContaining("assemble");
    assertThatThrownBy(
            () -> scorer(List.of(number("a")), List.of(new Assemble(List.of("a"), "vector")), 1))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("`features`")
        .hasMessageContaining("the model");
  }

  @Test
  void pipelineReadingAColumnAsTheWrongKindIsRefused() {
    assertThatThrownBy(
            () ->
                scorer(
                    List.of(text("device")),
                    List.of(
                        new OneHot("device", "v", 2, false, false),
                        new Assemble(List.of("v"), "features")),
                    2))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("device")
        .hasMessageContaining("TEXT");
    assertThatThrownBy(
            () ->
                scorer(
                    List.of(text("device")),
                    List.of(new Assemble(List.of("device"), "features")),
                    1))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("device")
        .hasMessageContaining("index it first");
  }

  @Test
  void modelReadingADifferentNumberOfFeaturesIsRefused() {
    RankerScorer scorer =
        scorer(
            List.of(number("a"), number("b")),
            List.of(new Assemble(List.of("a", "b"), "features")),
            3);
    assertThatThrownBy(() -> scorer.score(new Object[] {1, 2}))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("2 features")
        .hasMessageContaining("reads 3");
  }

  // ---- Bundle round trip ----

  private static RankerPipeline fullPipeline(RankerModel model) {
    return new RankerPipeline(
        List.of(number("user:ctr_7d"), text("device"), number("item:price")),
        List.of(
            new Impute(
                List.of("user:ctr_7d", "item:price"), List.of("ctr", "price"), List.of(0.02, 9.99)),
            new StringIndex("device", "device_index", List.of("ios", "android"), true),
            new OneHot("device_index", "device_vector", 2, true, true),
            new Assemble(List.of("ctr", "device_vector", "price"), "raw"),
            new Scale(
                "raw",
                "features",
                new double[] {0.01, 0.5, 0.3, 12.0},
                new double[] {20.0, 2.0, 2.5, 0.1})),
        "features",
        List.of("ctr", "device=ios", "device=android", "price"),
        model);
  }

  private static ModelBundle writeBundle(Path dir, RankerPipeline pipeline, ModelKind kind) {
    BundleWriter writer = new BundleWriter(dir);
    writer.writeJson(RankerPipeline.FILE, pipeline);
    return writer.finish(
        new Manifest(
            Manifest.FORMAT_VERSION,
            "ranker",
            0,
            kind,
            "2024-03-01T00:00:00Z",
            "3.5.1",
            null,
            List.of("user:ctr_7d", "device", "item:price"),
            null,
            null,
            null,
            null));
  }

  @Test
  void pipelineRoundTripsThroughABundleForEveryModel(@TempDir Path dir) {
    Object[][] rows = {
      {0.05, "ios", 20.0},
      {null, "tv", Double.NaN},
      {0.0, null, 5},
      {Double.NaN, "android", null}
    };
    Map<ModelKind, RankerModel> models =
        Map.of(
            ModelKind.LOGISTIC_REGRESSION, new Logistic(new double[] {0.3, -0.2, 0.1, 0.05}, -1.0),
            ModelKind.GBT,
                new TreeEnsemble(
                    4,
                    List.of(
                        new Tree(
                            new int[] {0, -1, -1},
                            new double[] {0.2, 0, 0},
                            new int[] {1, -1, -1},
                            new int[] {2, -1, -1},
                            new double[] {0, -0.3, 0.6},
                            null),
                        new Tree(
                            new int[] {1, -1, -1},
                            new double[] {0, 0, 0},
                            new int[] {1, -1, -1},
                            new int[] {2, -1, -1},
                            new double[] {0, 0.2, -0.4},
                            new double[][] {{-1.0}, null, null})),
                    new double[] {1.0, 0.1}),
            ModelKind.FM,
                new FactorizationMachine(
                    0.1,
                    new double[] {0.1, 0.2, -0.3, 0.05},
                    new double[][] {{0.1, 0.2}, {-0.3, 0.1}, {0.2, 0.2}, {0.05, -0.1}}));

    for (Map.Entry<ModelKind, RankerModel> entry : models.entrySet()) {
      RankerPipeline original = fullPipeline(entry.getValue());
      Path bundleDir = dir.resolve(entry.getKey().value());
      writeBundle(bundleDir, original, entry.getKey());

      RankerScorer loaded = RankerScorer.load(ModelBundle.open(bundleDir));
      assertThat(loaded.pipeline())
          .as(entry.getKey().value())
          .usingRecursiveComparison()
          .isEqualTo(original);
      RankerScorer direct = new RankerScorer(original);
      double[] expected = direct.score(rows);
      assertThat(loaded.score(rows)).as(entry.getKey().value()).containsExactly(expected);
      for (double p : expected) {
        assertThat(p).isStrictlyBetween(0.0, 1.0);
      }
    }
  }

  @Test
  void fullPipelineComputesTheHandWorkedFeatureVector() {
    RankerScorer scorer = new RankerScorer(fullPipeline(new Logistic(new double[4], 0)));
    // ctr imputed 0.02 -> (0.02-0.01)*20 = 0.2; "tv" -> index 2 -> invalid slot, dropped -> (0,0);
    // price 5 -> (5-12)*0.1 = -0.7
    assertThat(scorer.features(new Object[] {null, "tv", 5}))
        .containsExactly(new double[] {0.2, (0 - 0.5) * 2.0, (0 - 0.3) * 2.5, -0.7}, within(1e-12));
    assertThat(scorer.features(new Object[] {0.01, "android", 12}))
        .containsExactly(new double[] {0.0, -1.0, (1 - 0.3) * 2.5, 0.0}, within(1e-12));
  }

  @Test
  void loadRefusesAnAlsBundle(@TempDir Path dir) {
    writeBundle(dir, fullPipeline(new Logistic(new double[4], 0)), ModelKind.ALS);
    assertThatThrownBy(() -> RankerScorer.load(ModelBundle.open(dir)))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("als");
  }

  @Test
  void pipelineJsonUsesTheDocumentedTypeNames(@TempDir Path dir) throws Exception {
    ModelBundle bundle =
        writeBundle(
            dir, fullPipeline(new Logistic(new double[4], 0)), ModelKind.LOGISTIC_REGRESSION);
    String json = java.nio.file.Files.readString(bundle.file(RankerPipeline.FILE));
    assertThat(json)
        .contains(
            "\"type\" : \"impute\"",
            "\"type\" : \"string_index\"",
            "\"type\" : \"one_hot\"",
            "\"type\" : \"assemble\"",
            "\"type\" : \"scale\"",
            "\"type\" : \"logistic_regression\"",
            "\"features_column\"",
            "\"keep_invalid\"",
            "\"drop_last\"");
  }
}
