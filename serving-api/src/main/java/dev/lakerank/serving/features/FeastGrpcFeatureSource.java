package dev.lakerank.serving.features;

import dev.feast.FeastClient;
import dev.feast.Row;
import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.serving.errors.ServingErrors;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.types.ValueProto.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads online features from a Feast gRPC feature server (Feast's own Java server, or {@code
 * lakerank features serve}) with Feast's Java client. The views' join keys come from the feature
 * repository's definitions, which the server does not expose.
 */
public final class FeastGrpcFeatureSource implements FeatureSource {
  private final FeastClient client;
  private final String project;
  private final String address;
  private final Map<String, String> joinKeys;
  private final java.time.Clock clock;

  public FeastGrpcFeatureSource(
      String host, int port, String project, Map<String, String> joinKeys, java.time.Clock clock) {
    this.client = FeastClient.create(host, port);
    this.project = project;
    this.address = host + ":" + port;
    this.joinKeys = Map.copyOf(joinKeys);
    this.clock = clock;
  }

  @Override
  public Map<String, String> joinKeys() {
    return joinKeys;
  }

  @Override
  public FeatureBlock read(String joinKey, long[] ids, List<FeatureReference> refs) {
    List<String> names = refs.stream().map(ref -> ref.featureView() + ":" + ref.feature()).toList();
    List<Row> rows = new ArrayList<>(ids.length);
    for (long id : ids) {
      rows.add(Row.create().set(joinKey, id));
    }
    List<Row> answer;
    try {
      answer = client.getOnlineFeatures(names, rows, project);
    } catch (RuntimeException e) {
      throw ServingErrors.featuresUnavailable(
          "the Feast feature server at " + address + " did not answer: " + e.getMessage(), e);
    }
    List<Row> rowsAnswered = answer;
    return FeatureBlock.of(
        refs,
        ids.length,
        (row, f) -> {
          Row got = rowsAnswered.get(row);
          Value value = got.getFields().get(names.get(f));
          return got.getStatus(names.get(f)) == FieldStatus.PRESENT ? value : null;
        });
  }

  @Override
  public void ping() {
    try {
      client.getFeastServingInfo();
    } catch (RuntimeException e) {
      throw ServingErrors.featuresUnavailable(
          "the Feast feature server at " + address + " does not answer: " + e.getMessage(), e);
    }
  }

  @Override
  public java.time.Clock clock() {
    return clock;
  }

  @Override
  public String describe() {
    return "feast-grpc " + address + " (project " + project + ")";
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot close the Feast client for " + address, e);
    }
  }
}
