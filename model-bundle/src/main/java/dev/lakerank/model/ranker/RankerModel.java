package dev.lakerank.model.ranker;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** The classifier at the end of a ranker pipeline: it turns the feature vector into P(click). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = RankerModel.Logistic.class, name = "logistic_regression"),
  @JsonSubTypes.Type(value = RankerModel.TreeEnsemble.class, name = "gbt"),
  @JsonSubTypes.Type(value = RankerModel.FactorizationMachine.class, name = "fm")
})
public sealed interface RankerModel {
  /** The number of features the model reads. */
  int features();

  /** P(label = 1) for one feature vector. */
  double probability(double[] x);

  /** Binary logistic regression: {@code sigmoid(w . x + b)}. */
  record Logistic(double[] coefficients, double intercept) implements RankerModel {
    @Override
    public int features() {
      return coefficients.length;
    }

    @Override
    public double probability(double[] x) {
      double margin = intercept;
      double dot = 0.0;
      for (int i = 0; i < coefficients.length; i++) {
        dot += x[i] * coefficients[i];
      }
      margin += dot;
      return 1.0 / (1.0 + Math.exp(-margin));
    }
  }

  /**
   * Gradient-boosted regression trees under log loss (Spark's {@code GBTClassificationModel}):
   * {@code margin = sum(weight_t * tree_t(x))}, {@code P = 1 / (1 + exp(-2 margin))}.
   */
  record TreeEnsemble(int features, List<Tree> trees, double[] weights) implements RankerModel {
    public TreeEnsemble {
      trees = List.copyOf(trees);
      if (trees.size() != weights.length) {
        throw new IllegalArgumentException(
            trees.size() + " trees but " + weights.length + " weights");
      }
    }

    @Override
    public double probability(double[] x) {
      double margin = 0.0;
      for (int t = 0; t < weights.length; t++) {
        margin += trees.get(t).predict(x) * weights[t];
      }
      return 1.0 / (1.0 + Math.exp(-2.0 * margin));
    }
  }

  /**
   * One regression tree as parallel arrays; node 0 is the root. An internal node sends {@code x}
   * left when {@code x[feature] <= threshold} (continuous) or when {@code x[feature]} is one of
   * {@code categories[node]} (categorical); a leaf has feature -1 and its prediction in value.
   */
  record Tree(
      int[] feature,
      double[] threshold,
      int[] left,
      int[] right,
      double[] value,
      double[][] categories) {
    public double predict(double[] x) {
      int node = 0;
      while (feature[node] >= 0) {
        double v = x[feature[node]];
        boolean goLeft;
        if (categories != null && categories[node] != null) {
          goLeft = false;
          for (double c : categories[node]) {
            if (c == v) {
              goLeft = true;
              break;
            }
          }
        } else {
          goLeft = v <= threshold[node];
        }
        node = goLeft ? left[node] : right[node];
      }
      return value[node];
    }
  }

  /**
   * Spark's {@code FMClassificationModel}: {@code raw = b + w . x + 1/2 sum_f ((sum_i v_if x_i)^2 -
   * sum_i v_if^2 x_i^2)}, {@code P = sigmoid(raw)}; {@code factors[i]} is feature i's factor row.
   */
  record FactorizationMachine(double intercept, double[] linear, double[][] factors)
      implements RankerModel {
    @Override
    public int features() {
      return linear.length;
    }

    @Override
    public double probability(double[] x) {
      int k = factors.length == 0 ? 0 : factors[0].length;
      double[] sum = new double[k];
      double raw = 0.0;
      for (int i = 0; i < x.length; i++) {
        double value = x[i];
        if (value == 0.0) {
          continue;
        }
        double[] row = factors[i];
        for (int f = 0; f < k; f++) {
          double vx = row[f] * value;
          sum[f] += vx;
          raw -= 0.5 * vx * vx;
        }
      }
      double square = 0.0;
      for (int f = 0; f < k; f++) {
        square += sum[f] * sum[f];
      }
      raw += 0.5 * square;
      double dot = 0.0;
      for (int i = 0; i < x.length; i++) {
        dot += x[i] * linear[i];
      }
      raw += intercept + dot;
      return 1.0 / (1.0 + Math.exp(-raw));
    }
  }
}
