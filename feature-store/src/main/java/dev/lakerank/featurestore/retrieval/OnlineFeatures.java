package dev.lakerank.featurestore.retrieval;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Timestamp;
import feast.proto.serving.ServingAPIProto.FeatureList;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesResponse;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesResponseMetadata;
import feast.proto.types.ValueProto.Value;
import java.util.List;

/**
 * The answer to an online feature request, column by column as Feast's response: for each requested
 * feature, one value, status and event time per entity row.
 */
public final class OnlineFeatures {
  private final List<String> entityColumns;
  private final List<List<Value>> entityValues;
  private final List<String> names;
  private final Value[][] values;
  private final FieldStatus[][] statuses;
  private final Timestamp[][] eventTimes;

  OnlineFeatures(
      List<String> entityColumns,
      List<List<Value>> entityValues,
      List<String> names,
      Value[][] values,
      FieldStatus[][] statuses,
      Timestamp[][] eventTimes) {
    this.entityColumns = List.copyOf(entityColumns);
    this.entityValues = List.copyOf(entityValues);
    this.names = List.copyOf(names);
    this.values = requireNonNull(values);
    this.statuses = requireNonNull(statuses);
    this.eventTimes = requireNonNull(eventTimes);
  }

  /** The feature names, in request order ({@code view:feature}, or {@code view__feature}). */
  public List<String> names() {
    return names;
  }

  /** The number of entity rows. */
  public int rows() {
    return entityValues.isEmpty()
        ? (values.length == 0 ? 0 : values[0].length)
        : entityValues.get(0).size();
  }

  /** The value of feature {@code feature} (an index into {@link #names()}) for row {@code row}. */
  public Value value(int feature, int row) {
    return values[feature][row];
  }

  public FieldStatus status(int feature, int row) {
    return statuses[feature][row];
  }

  public Timestamp eventTime(int feature, int row) {
    return eventTimes[feature][row];
  }

  /**
   * Feast's response: entity columns first (as Feast's Python and Go servers send them), then one
   * column per feature.
   */
  public GetOnlineFeaturesResponse toProto() {
    GetOnlineFeaturesResponse.Builder response = GetOnlineFeaturesResponse.newBuilder();
    FeatureList.Builder featureNames = FeatureList.newBuilder();
    int rows = rows();
    for (int e = 0; e < entityColumns.size(); e++) {
      featureNames.addVal(entityColumns.get(e));
      GetOnlineFeaturesResponse.FeatureVector.Builder vector =
          GetOnlineFeaturesResponse.FeatureVector.newBuilder();
      for (int r = 0; r < rows; r++) {
        vector
            .addValues(entityValues.get(e).get(r))
            .addStatuses(FieldStatus.PRESENT)
            .addEventTimestamps(Timestamp.getDefaultInstance());
      }
      response.addResults(vector);
    }
    for (int f = 0; f < names.size(); f++) {
      featureNames.addVal(names.get(f));
      GetOnlineFeaturesResponse.FeatureVector.Builder vector =
          GetOnlineFeaturesResponse.FeatureVector.newBuilder();
      for (int r = 0; r < rows; r++) {
        vector
            .addValues(values[f][r])
            .addStatuses(statuses[f][r])
            .addEventTimestamps(eventTimes[f][r]);
      }
      response.addResults(vector);
    }
    return response
        .setMetadata(GetOnlineFeaturesResponseMetadata.newBuilder().setFeatureNames(featureNames))
        .setStatus(true)
        .build();
  }
}
