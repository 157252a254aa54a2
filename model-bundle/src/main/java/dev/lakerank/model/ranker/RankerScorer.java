package dev.lakerank.model.ranker;

import dev.lakerank.model.bundle.BundleErrors;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.bundle.ModelKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores rows with an exported ranker, without Spark: the transforms run in order over a row's
 * values, then the model gives P(click). Column names are resolved to slots once, when the scorer
 * is built, so scoring a row touches only arrays. Instances are immutable and thread-safe.
 */
public final class RankerScorer {
  private final RankerPipeline pipeline;
  private final List<Step> steps = new ArrayList<>();
  private final Map<String, Slot> columns = new HashMap<>();
  private final int[] inputSlots;
  private final boolean[] inputNumeric;
  private final int featuresSlot;
  private int numbers;
  private int texts;
  private int vectors;

  public RankerScorer(RankerPipeline pipeline) {
    this.pipeline = pipeline;
    inputSlots = new int[pipeline.inputs().size()];
    inputNumeric = new boolean[inputSlots.length];
    for (int i = 0; i < inputSlots.length; i++) {
      Input input = pipeline.inputs().get(i);
      boolean numeric = input.type() == Input.InputType.NUMERIC;
      inputNumeric[i] = numeric;
      inputSlots[i] = define(input.name(), numeric ? Kind.NUMBER : Kind.TEXT).index();
    }
    for (FeatureTransform transform : pipeline.transforms()) {
      steps.add(compile(transform));
    }
    Slot features = require(pipeline.featuresColumn(), Kind.VECTOR, "the model");
    featuresSlot = features.index();
  }

  /** Loads the scorer from a verified ranker bundle. */
  public static RankerScorer load(ModelBundle bundle) {
    bundle.requireKind(ModelKind.LOGISTIC_REGRESSION, ModelKind.GBT, ModelKind.FM);
    return new RankerScorer(bundle.readJson(RankerPipeline.FILE, RankerPipeline.class));
  }

  public RankerPipeline pipeline() {
    return pipeline;
  }

  public List<Input> inputs() {
    return pipeline.inputs();
  }

  /**
   * P(click) for one row: values in {@link #inputs()} order; numbers as any {@link Number} (null or
   * NaN when missing), texts as {@link String} (null when missing).
   */
  public double score(Object[] row) {
    return pipeline.model().probability(features(row));
  }

  /** P(click) for each row. */
  public double[] score(Object[][] rows) {
    double[] out = new double[rows.length];
    for (int r = 0; r < rows.length; r++) {
      out[r] = score(rows[r]);
    }
    return out;
  }

  /** P(click) for a row given by input name; absent names are missing values. */
  public double score(Map<String, ?> row) {
    Object[] values = new Object[pipeline.inputs().size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(pipeline.inputs().get(i).name());
    }
    return score(values);
  }

  /** The feature vector the model reads for a row (after every transform). */
  public double[] features(Object[] row) {
    if (row.length != inputSlots.length) {
      throw new IllegalArgumentException(
          "a row needs " + inputSlots.length + " values (" + names() + "), got " + row.length);
    }
    Frame frame = new Frame(numbers, texts, vectors);
    for (int i = 0; i < row.length; i++) {
      Object value = row[i];
      if (inputNumeric[i]) {
        frame.numbers[inputSlots[i]] = number(value, i);
      } else {
        if (value != null && !(value instanceof String)) {
          throw new IllegalArgumentException(
              "input `"
                  + pipeline.inputs().get(i).name()
                  + "` is a text, got "
                  + value.getClass().getSimpleName());
        }
        frame.texts[inputSlots[i]] = (String) value;
      }
    }
    for (Step step : steps) {
      step.apply(frame);
    }
    double[] features = frame.vectors[featuresSlot];
    if (features.length != pipeline.model().features()) {
      throw BundleErrors.invalid(
          "the ranker's transforms make "
              + features.length
              + " features, its model reads "
              + pipeline.model().features()
              + "; the bundle is inconsistent, export it again");
    }
    return features;
  }

  private double number(Object value, int input) {
    if (value == null) {
      return Double.NaN;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    throw new IllegalArgumentException(
        "input `"
            + pipeline.inputs().get(input).name()
            + "` is a number, got "
            + value.getClass().getSimpleName()
            + " `"
            + value
            + "`");
  }

  private List<String> names() {
    return pipeline.inputs().stream().map(Input::name).toList();
  }

  // ---- compilation: names to slots ----

  private enum Kind {
    NUMBER,
    TEXT,
    VECTOR
  }

  private record Slot(Kind kind, int index, int length) {}

  private Slot define(String name, Kind kind) {
    return define(name, kind, 1);
  }

  private Slot define(String name, Kind kind, int length) {
    int index =
        switch (kind) {
          case NUMBER -> numbers++;
          case TEXT -> texts++;
          case VECTOR -> vectors++;
        };
    Slot slot = new Slot(kind, index, length);
    columns.put(name, slot);
    return slot;
  }

  private Slot require(String name, Kind kind, String reader) {
    Slot slot = columns.get(name);
    if (slot == null) {
      throw BundleErrors.invalid(
          "ranker pipeline: "
              + reader
              + " reads column `"
              + name
              + "`, which no input or earlier transform makes");
    }
    if (kind != null && slot.kind() != kind) {
      throw BundleErrors.invalid(
          "ranker pipeline: "
              + reader
              + " reads column `"
              + name
              + "` as "
              + kind
              + ", it is "
              + slot.kind());
    }
    return slot;
  }

  private interface Step {
    void apply(Frame frame);
  }

  private static final class Frame {
    final double[] numbers;
    final String[] texts;
    final double[][] vectors;

    Frame(int numbers, int texts, int vectors) {
      this.numbers = new double[numbers];
      this.texts = new String[texts];
      this.vectors = new double[vectors][];
    }
  }

  private Step compile(FeatureTransform transform) {
    if (transform instanceof FeatureTransform.Impute impute) {
      return compileImpute(impute);
    } else if (transform instanceof FeatureTransform.StringIndex index) {
      return compileIndex(index);
    } else if (transform instanceof FeatureTransform.OneHot oneHot) {
      return compileOneHot(oneHot);
    } else if (transform instanceof FeatureTransform.Assemble assemble) {
      return compileAssemble(assemble);
    } else {
      return compileScale((FeatureTransform.Scale) transform);
    }
  }

  private Step compileImpute(FeatureTransform.Impute impute) {
    int n = impute.inputs().size();
    int[] in = new int[n];
    int[] out = new int[n];
    double[] surrogate = new double[n];
    for (int i = 0; i < n; i++) {
      in[i] = require(impute.inputs().get(i), Kind.NUMBER, "impute").index();
      surrogate[i] = impute.surrogates().get(i);
    }
    for (int i = 0; i < n; i++) {
      out[i] = define(impute.outputs().get(i), Kind.NUMBER).index();
    }
    return frame -> {
      for (int i = 0; i < n; i++) {
        double v = frame.numbers[in[i]];
        frame.numbers[out[i]] = Double.isNaN(v) ? surrogate[i] : v;
      }
    };
  }

  private Step compileIndex(FeatureTransform.StringIndex index) {
    int in = require(index.input(), Kind.TEXT, "string index").index();
    int out = define(index.output(), Kind.NUMBER).index();
    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < index.labels().size(); i++) {
      positions.put(index.labels().get(i), i);
    }
    int invalid = index.labels().size();
    boolean keep = index.keepInvalid();
    String name = index.input();
    return frame -> {
      String text = frame.texts[in];
      Integer position = text == null ? null : positions.get(text);
      if (position == null && !keep) {
        throw new IllegalArgumentException(
            "input `"
                + name
                + "`: "
                + (text == null ? "null" : "`" + text + "`")
                + " was not seen in training and the ranker was trained to refuse unseen values");
      }
      frame.numbers[out] = position == null ? invalid : position;
    };
  }

  private Step compileOneHot(FeatureTransform.OneHot oneHot) {
    int in = require(oneHot.input(), Kind.NUMBER, "one-hot").index();
    int size = oneHot.size();
    int out = define(oneHot.output(), Kind.VECTOR, size).index();
    int categories = oneHot.categories();
    boolean keep = oneHot.keepInvalid();
    String name = oneHot.input();
    return frame -> {
      double v = frame.numbers[in];
      int index = (int) v;
      // as Spark's OneHotEncoderModel: any value in [0, categories) is valid and truncated to its
      // slot; NaN fails the range test and is invalid
      if (!(v >= 0 && v < categories)) {
        if (!keep) {
          throw new IllegalArgumentException(
              "column `"
                  + name
                  + "` holds "
                  + v
                  + ", outside the "
                  + categories
                  + " categories seen in training");
        }
        index = categories;
      }
      double[] vector = new double[size];
      if (index < size) {
        vector[index] = 1.0;
      }
      frame.vectors[out] = vector;
    };
  }

  private Step compileAssemble(FeatureTransform.Assemble assemble) {
    int n = assemble.inputs().size();
    Slot[] parts = new Slot[n];
    int length = 0;
    for (int i = 0; i < n; i++) {
      parts[i] = require(assemble.inputs().get(i), null, "assemble");
      if (parts[i].kind() == Kind.TEXT) {
        throw BundleErrors.invalid(
            "ranker pipeline: assemble reads text column `"
                + assemble.inputs().get(i)
                + "`; index it first");
      }
      length += parts[i].length();
    }
    int total = length;
    int out = define(assemble.output(), Kind.VECTOR, total).index();
    return frame -> {
      double[] vector = new double[total];
      int at = 0;
      for (Slot part : parts) {
        if (part.kind() == Kind.NUMBER) {
          vector[at++] = frame.numbers[part.index()];
        } else {
          double[] values = frame.vectors[part.index()];
          System.arraycopy(values, 0, vector, at, values.length);
          at += values.length;
        }
      }
      frame.vectors[out] = vector;
    };
  }

  private Step compileScale(FeatureTransform.Scale scale) {
    Slot input = require(scale.input(), Kind.VECTOR, "scale");
    int in = input.index();
    int out = define(scale.output(), Kind.VECTOR, input.length()).index();
    double[] shift = scale.shift();
    double[] factor = scale.scale();
    if ((shift.length != 0 && shift.length != input.length())
        || (factor.length != 0 && factor.length != input.length())) {
      throw BundleErrors.invalid(
          "ranker pipeline: scale of column `"
              + scale.input()
              + "` ("
              + input.length()
              + " values) has "
              + shift.length
              + " means and "
              + factor.length
              + " scales; the bundle is inconsistent, export it again");
    }
    return frame -> {
      double[] values = frame.vectors[in].clone();
      for (int i = 0; i < values.length; i++) {
        if (shift.length > 0) {
          values[i] -= shift[i];
        }
        if (factor.length > 0) {
          values[i] *= factor[i];
        }
      }
      frame.vectors[out] = values;
    };
  }
}
