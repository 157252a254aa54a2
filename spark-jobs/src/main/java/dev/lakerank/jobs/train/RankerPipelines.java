package dev.lakerank.jobs.train;

import static org.apache.spark.sql.functions.col;

import dev.lakerank.model.ranker.FeatureTransform;
import dev.lakerank.model.ranker.Input;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.FMClassifier;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.OneHotEncoderModel;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The ranker's Spark pipeline, built the same way for training and for the parity tests: texts
 * indexed (unseen and null kept as their own category) and one-hot encoded, numbers imputed with
 * the training mean, everything assembled, scaled for the linear models, then the classifier.
 *
 * @param numeric numeric input columns (cast to double by {@link #prepare})
 * @param text text input columns
 */
public record RankerPipelines(List<String> numeric, List<String> text, String label) {
  public static final String FEATURES = "features";
  private static final String RAW_FEATURES = "features_raw";

  public RankerPipelines {
    numeric = List.copyOf(numeric);
    text = List.copyOf(text);
  }

  /** The inputs of the exported scorer, in row order: numbers first, then texts. */
  public List<Input> inputs() {
    List<Input> inputs = new ArrayList<>();
    numeric.forEach(name -> inputs.add(new Input(name, Input.InputType.NUMERIC)));
    text.forEach(name -> inputs.add(new Input(name, Input.InputType.STRING)));
    return inputs;
  }

  /** The input columns, numbers as double and texts as string, plus the label as double. */
  public Dataset<Row> prepare(Dataset<Row> rows) {
    List<Column> columns = new ArrayList<>();
    numeric.forEach(name -> columns.add(col(name).cast("double").alias(name)));
    text.forEach(name -> columns.add(col(name).cast("string").alias(name)));
    if (rows.columns().length > 0 && java.util.Arrays.asList(rows.columns()).contains(label)) {
      columns.add(col(label).cast("double").alias(label));
    }
    for (String extra : rows.columns()) {
      if (!numeric.contains(extra) && !text.contains(extra) && !extra.equals(label)) {
        columns.add(col(extra));
      }
    }
    return rows.select(columns.toArray(Column[]::new));
  }

  /** An unfitted pipeline for the algorithm with the given hyperparameters (unset ones default). */
  public Pipeline pipeline(RankerAlgorithm algorithm, Map<String, Double> params, long seed) {
    List<PipelineStage> stages = new ArrayList<>();
    List<String> assembled = new ArrayList<>();
    if (!numeric.isEmpty()) {
      String[] imputed = numeric.stream().map(n -> n + "__imputed").toArray(String[]::new);
      stages.add(
          new Imputer()
              .setInputCols(numeric.toArray(String[]::new))
              .setOutputCols(imputed)
              .setStrategy("mean"));
      assembled.addAll(List.of(imputed));
    }
    for (String name : text) {
      stages.add(
          new StringIndexer()
              .setInputCol(name)
              .setOutputCol(name + "__index")
              .setHandleInvalid("keep"));
      stages.add(
          new OneHotEncoder()
              .setInputCols(new String[] {name + "__index"})
              .setOutputCols(new String[] {name + "__onehot"})
              .setHandleInvalid("keep")
              .setDropLast(true));
      assembled.add(name + "__onehot");
    }
    stages.add(
        new VectorAssembler()
            .setInputCols(assembled.toArray(String[]::new))
            .setOutputCol(RAW_FEATURES));
    String features = RAW_FEATURES;
    if (algorithm != RankerAlgorithm.GBT) {
      stages.add(
          new StandardScaler()
              .setInputCol(RAW_FEATURES)
              .setOutputCol(FEATURES)
              .setWithMean(true)
              .setWithStd(true));
      features = FEATURES;
    }
    stages.add(classifier(algorithm, params, seed).setFeaturesCol(features).setLabelCol(label));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
  }

  private static ProbabilisticClassifier<?, ?, ?> classifier(
      RankerAlgorithm algorithm, Map<String, Double> params, long seed) {
    return switch (algorithm) {
      case LR ->
          new LogisticRegression()
              .setMaxIter(params.getOrDefault("maxIter", 100.0).intValue())
              .setRegParam(params.getOrDefault("regParam", 0.0))
              .setElasticNetParam(params.getOrDefault("elasticNetParam", 0.0));
      case GBT ->
          new GBTClassifier()
              .setMaxIter(params.getOrDefault("maxIter", 50.0).intValue())
              .setMaxDepth(params.getOrDefault("maxDepth", 5.0).intValue())
              .setStepSize(params.getOrDefault("stepSize", 0.1))
              .setSubsamplingRate(params.getOrDefault("subsamplingRate", 1.0))
              .setSeed(seed);
      case FM ->
          new FMClassifier()
              .setFactorSize(params.getOrDefault("factorSize", 8.0).intValue())
              .setMaxIter(params.getOrDefault("maxIter", 100.0).intValue())
              .setRegParam(params.getOrDefault("regParam", 0.0))
              .setStepSize(params.getOrDefault("stepSize", 0.1))
              .setSeed(seed);
    };
  }

  /** Names of the assembled features, in vector order (for importances and reports). */
  public List<String> featureNames(PipelineModel fitted) {
    Map<String, String[]> labels = new java.util.HashMap<>();
    List<String> names = new ArrayList<>(numeric);
    for (Transformer stage : fitted.stages()) {
      if (stage instanceof StringIndexerModel indexer) {
        labels.put(indexer.getOutputCol(), indexer.labelsArray()[0]);
      } else if (stage instanceof OneHotEncoderModel encoder) {
        String indexColumn = encoder.getInputCols()[0];
        String source = indexColumn.substring(0, indexColumn.length() - "__index".length());
        String[] known = labels.getOrDefault(indexColumn, new String[0]);
        int size =
            new FeatureTransform.OneHot(
                    indexColumn,
                    "",
                    encoder.categorySizes()[0],
                    encoder.getDropLast(),
                    "keep".equals(encoder.getHandleInvalid()))
                .size();
        for (int i = 0; i < size; i++) {
          names.add(source + "=" + (i < known.length ? known[i] : "<unseen>"));
        }
      }
    }
    return names;
  }
}
