package dev.lakerank.jobs.export;

import dev.lakerank.model.bundle.BundleErrors;
import dev.lakerank.model.ranker.FeatureTransform;
import dev.lakerank.model.ranker.Input;
import dev.lakerank.model.ranker.RankerModel;
import dev.lakerank.model.ranker.RankerPipeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.FMClassificationModel;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.ImputerModel;
import org.apache.spark.ml.feature.OneHotEncoderModel;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.tree.CategoricalSplit;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.Node;
import org.apache.spark.ml.tree.Split;
import org.apache.spark.sql.Row;

/**
 * Translates a fitted ranker {@link PipelineModel} into a {@link RankerPipeline}. Supported stages:
 * StringIndexer, OneHotEncoder, Imputer, VectorAssembler, StandardScaler, then one of
 * LogisticRegression (binary), GBTClassifier or FMClassifier as the last stage. Anything else is
 * refused by name, so a pipeline change cannot silently export a scorer that disagrees with Spark.
 */
public final class SparkStages {
  private SparkStages() {}

  /**
   * @param inputs the columns rows carry into the pipeline, in order
   * @param featureNames the names of the model's features (for reports), in vector order
   */
  public static RankerPipeline ranker(
      PipelineModel model, List<Input> inputs, List<String> featureNames) {
    Transformer[] stages = model.stages();
    if (stages.length == 0) {
      throw BundleErrors.invalid("the ranker pipeline has no stages");
    }
    List<FeatureTransform> transforms = new ArrayList<>();
    for (int i = 0; i < stages.length - 1; i++) {
      transforms.add(transform(stages[i]));
    }
    Transformer last = stages[stages.length - 1];
    String featuresColumn;
    RankerModel classifier;
    if (last instanceof LogisticRegressionModel lr) {
      if (lr.numClasses() != 2) {
        throw BundleErrors.invalid(
            "only binary logistic regression exports; this one has "
                + lr.numClasses()
                + " classes");
      }
      featuresColumn = lr.getFeaturesCol();
      classifier = new RankerModel.Logistic(lr.coefficients().toArray(), lr.intercept());
    } else if (last instanceof GBTClassificationModel gbt) {
      featuresColumn = gbt.getFeaturesCol();
      List<RankerModel.Tree> trees = new ArrayList<>();
      for (DecisionTreeRegressionModel tree : gbt.trees()) {
        trees.add(tree(tree.rootNode()));
      }
      classifier =
          new RankerModel.TreeEnsemble(gbt.numFeatures(), trees, gbt.treeWeights().clone());
    } else if (last instanceof FMClassificationModel fm) {
      featuresColumn = fm.getFeaturesCol();
      Matrix factors = fm.factors();
      double[][] rows = new double[factors.numRows()][factors.numCols()];
      for (int r = 0; r < rows.length; r++) {
        for (int c = 0; c < rows[r].length; c++) {
          rows[r][c] = factors.apply(r, c);
        }
      }
      classifier =
          new RankerModel.FactorizationMachine(fm.intercept(), fm.linear().toArray(), rows);
    } else {
      throw BundleErrors.invalid(
          "cannot export a ranker ending in "
              + last.getClass().getSimpleName()
              + "; supported: LogisticRegression, GBTClassifier, FMClassifier");
    }
    return new RankerPipeline(inputs, transforms, featuresColumn, featureNames, classifier);
  }

  private static FeatureTransform transform(Transformer stage) {
    if (stage instanceof StringIndexerModel indexer) {
      if (indexer.labelsArray().length != 1) {
        throw BundleErrors.invalid(
            "export supports one column per StringIndexer; stage "
                + indexer.uid()
                + " has "
                + indexer.labelsArray().length);
      }
      String handle = indexer.getHandleInvalid();
      if ("skip".equals(handle)) {
        throw BundleErrors.invalid(
            "StringIndexer "
                + indexer.uid()
                + " skips invalid rows, which a scorer cannot do for "
                + "one request; use handleInvalid=keep (or error)");
      }
      return new FeatureTransform.StringIndex(
          indexer.getInputCol(),
          indexer.getOutputCol(),
          Arrays.asList(indexer.labelsArray()[0]),
          "keep".equals(handle));
    }
    if (stage instanceof OneHotEncoderModel encoder) {
      if (encoder.getInputCols().length != 1) {
        throw BundleErrors.invalid(
            "export supports one column per OneHotEncoder; stage "
                + encoder.uid()
                + " has "
                + encoder.getInputCols().length);
      }
      return new FeatureTransform.OneHot(
          encoder.getInputCols()[0],
          encoder.getOutputCols()[0],
          encoder.categorySizes()[0],
          encoder.getDropLast(),
          "keep".equals(encoder.getHandleInvalid()));
    }
    if (stage instanceof ImputerModel imputer) {
      if (!Double.isNaN(imputer.getMissingValue())) {
        throw BundleErrors.invalid(
            "Imputer "
                + imputer.uid()
                + " treats "
                + imputer.getMissingValue()
                + " as missing; export supports the default (NaN and null)");
      }
      Row surrogates = imputer.surrogateDF().head();
      List<Double> values = new ArrayList<>();
      for (String column : imputer.getInputCols()) {
        values.add(((Number) surrogates.getAs(column)).doubleValue());
      }
      return new FeatureTransform.Impute(
          Arrays.asList(imputer.getInputCols()), Arrays.asList(imputer.getOutputCols()), values);
    }
    if (stage instanceof VectorAssembler assembler) {
      return new FeatureTransform.Assemble(
          Arrays.asList(assembler.getInputCols()), assembler.getOutputCol());
    }
    if (stage instanceof StandardScalerModel scaler) {
      double[] shift = scaler.getWithMean() ? scaler.mean().toArray() : new double[0];
      double[] scale = new double[0];
      if (scaler.getWithStd()) {
        double[] std = scaler.std().toArray();
        scale = new double[std.length];
        for (int i = 0; i < std.length; i++) {
          scale[i] = std[i] == 0.0 ? 0.0 : 1.0 / std[i];
        }
      }
      return new FeatureTransform.Scale(scaler.getInputCol(), scaler.getOutputCol(), shift, scale);
    }
    throw BundleErrors.invalid(
        "cannot export pipeline stage "
            + stage.getClass().getSimpleName()
            + " ("
            + stage.uid()
            + "); supported before the model: StringIndexer, OneHotEncoder, Imputer, VectorAssembler, StandardScaler");
  }

  /** Flattens a Spark tree, root first (node 0). */
  static RankerModel.Tree tree(Node root) {
    List<Node> nodes = new ArrayList<>();
    nodes.add(root);
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i) instanceof InternalNode internal) {
        nodes.add(internal.leftChild());
        nodes.add(internal.rightChild());
      }
    }
    int n = nodes.size();
    int[] feature = new int[n];
    double[] threshold = new double[n];
    int[] left = new int[n];
    int[] right = new int[n];
    double[] value = new double[n];
    double[][] categories = null;
    int next = 1;
    for (int i = 0; i < n; i++) {
      Node node = nodes.get(i);
      value[i] = node.prediction();
      if (node instanceof InternalNode internal) {
        Split split = internal.split();
        feature[i] = split.featureIndex();
        left[i] = next++;
        right[i] = next++;
        if (split instanceof ContinuousSplit continuous) {
          threshold[i] = continuous.threshold();
        } else {
          CategoricalSplit categorical = (CategoricalSplit) split;
          if (categories == null) {
            categories = new double[n][];
          }
          categories[i] = categorical.leftCategories();
        }
      } else {
        feature[i] = -1;
        left[i] = -1;
        right[i] = -1;
      }
    }
    return new RankerModel.Tree(feature, threshold, left, right, value, categories);
  }
}
