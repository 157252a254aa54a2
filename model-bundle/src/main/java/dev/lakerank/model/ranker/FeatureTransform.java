package dev.lakerank.model.ranker;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * A transform applied to a row before the model, one per Spark pipeline stage, with the state the
 * stage learned. Each mirrors its Spark stage exactly.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = FeatureTransform.Impute.class, name = "impute"),
  @JsonSubTypes.Type(value = FeatureTransform.StringIndex.class, name = "string_index"),
  @JsonSubTypes.Type(value = FeatureTransform.OneHot.class, name = "one_hot"),
  @JsonSubTypes.Type(value = FeatureTransform.Assemble.class, name = "assemble"),
  @JsonSubTypes.Type(value = FeatureTransform.Scale.class, name = "scale")
})
public sealed interface FeatureTransform {

  /** Spark's {@code Imputer}: a null or NaN number becomes the surrogate learned in training. */
  record Impute(List<String> inputs, List<String> outputs, List<Double> surrogates)
      implements FeatureTransform {
    public Impute {
      inputs = List.copyOf(inputs);
      outputs = List.copyOf(outputs);
      surrogates = List.copyOf(surrogates);
      if (inputs.size() != outputs.size() || inputs.size() != surrogates.size()) {
        throw new IllegalArgumentException("impute needs as many outputs and surrogates as inputs");
      }
    }
  }

  /**
   * Spark's {@code StringIndexerModel}: a text becomes its position in {@code labels}; an unseen
   * text or a null becomes {@code labels.size()} when {@code keepInvalid}, and is refused
   * otherwise.
   */
  record StringIndex(
      String input,
      String output,
      List<String> labels,
      @JsonProperty("keep_invalid") boolean keepInvalid)
      implements FeatureTransform {
    public StringIndex {
      labels = List.copyOf(labels);
    }
  }

  /**
   * Spark's {@code OneHotEncoderModel} on one column: index {@code i} of {@code categories} becomes
   * a vector with a 1 at {@code i}; an index past the categories is the invalid slot when {@code
   * keepInvalid}; the last slot is dropped when {@code dropLast} (all zeros).
   */
  record OneHot(
      String input,
      String output,
      int categories,
      @JsonProperty("drop_last") boolean dropLast,
      @JsonProperty("keep_invalid") boolean keepInvalid)
      implements FeatureTransform {
    /** The output vector's length. */
    public int size() {
      return categories + (keepInvalid ? 1 : 0) - (dropLast ? 1 : 0);
    }
  }

  /** Spark's {@code VectorAssembler}: numbers and vectors concatenated in order. */
  record Assemble(List<String> inputs, String output) implements FeatureTransform {
    public Assemble {
      inputs = List.copyOf(inputs);
    }
  }

  /**
   * Spark's {@code StandardScalerModel}: {@code (x - shift) * scale}, where shift is the mean (or
   * empty without centring) and scale is {@code 1 / std} (0 where std is 0; empty without scaling).
   */
  record Scale(String input, String output, double[] shift, double[] scale)
      implements FeatureTransform {}
}
