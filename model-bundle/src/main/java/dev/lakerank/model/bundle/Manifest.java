package dev.lakerank.model.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code manifest.json}: what a bundle is, where it came from and the checksum of every payload
 * file.
 *
 * @param formatVersion the bundle layout; readers refuse versions they do not know
 * @param name the model's name in the registry
 * @param version the registry version, 0 until registered
 * @param kind what the payload holds
 * @param createdAt when the bundle was written, ISO-8601 UTC
 * @param sparkVersion the Spark that trained the model
 * @param trainingTables the Delta tables read, with the versions read
 * @param features the model's inputs, in input order (feature references and context columns)
 * @param params the hyperparameters
 * @param metrics evaluation figures on held-out data (numbers only; curves live in {@code
 *     evaluation.json})
 * @param lineage free-form provenance: data window, code version, run id
 * @param files payload file (relative path) to its sha256, hex
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    @JsonProperty("format_version") int formatVersion,
    String name,
    int version,
    ModelKind kind,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("spark_version") String sparkVersion,
    @JsonProperty("training_tables") Map<String, Long> trainingTables,
    List<String> features,
    Map<String, Object> params,
    Map<String, Double> metrics,
    Map<String, String> lineage,
    Map<String, String> files) {

  /** The layout this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  public Manifest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Instant.parse(Objects.requireNonNull(createdAt, "createdAt"));
    trainingTables = copy(trainingTables);
    features = features == null ? List.of() : List.copyOf(features);
    params = copy(params);
    metrics = copy(metrics);
    lineage = copy(lineage);
    files = copy(files);
  }

  private static <V> Map<String, V> copy(Map<String, V> map) {
    return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  public Manifest withVersion(int newVersion) {
    return new Manifest(
        formatVersion,
        name,
        newVersion,
        kind,
        createdAt,
        sparkVersion,
        trainingTables,
        features,
        params,
        metrics,
        lineage,
        files);
  }

  public Manifest withFiles(Map<String, String> newFiles) {
    return new Manifest(
        formatVersion,
        name,
        version,
        kind,
        createdAt,
        sparkVersion,
        trainingTables,
        features,
        params,
        metrics,
        lineage,
        newFiles);
  }
}
