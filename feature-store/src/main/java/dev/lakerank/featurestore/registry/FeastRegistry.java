package dev.lakerank.featurestore.registry;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;
import dev.lakerank.featurestore.definition.Entity;
import dev.lakerank.featurestore.definition.Feature;
import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.definition.FeatureService;
import dev.lakerank.featurestore.definition.FeatureView;
import dev.lakerank.featurestore.definition.FeatureViewProjection;
import dev.lakerank.featurestore.definition.ValueType;
import dev.lakerank.featurestore.errors.DefinitionException;
import dev.lakerank.featurestore.errors.FeatureStoreErrors;
import dev.lakerank.featurestore.format.FeatureValues;
import dev.lakerank.featurestore.online.OnlineView;
import feast.proto.core.DataFormatProto;
import feast.proto.core.DataSourceProto.DataSource;
import feast.proto.core.EntityProto;
import feast.proto.core.FeatureProto.FeatureSpecV2;
import feast.proto.core.FeatureReferenceProto.FeatureViewProjection.Builder;
import feast.proto.core.FeatureServiceProto;
import feast.proto.core.FeatureViewProto;
import feast.proto.core.RegistryProto.ProjectMetadata;
import feast.proto.core.RegistryProto.Registry;
import feast.proto.core.StreamFeatureViewProto;
import feast.proto.types.ValueProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Feast's {@code registry.db}: a serialized {@code feast.core.Registry} with no header
 * (FEAST_FORMATS.md section 5), which Feast's SDK and feature servers read as they read their own.
 *
 * <p>{@link #build} turns the definitions into the registry, keeping what an earlier registry
 * recorded of materialization; {@link #onlineViews()} and {@link #featureService(String)} are what
 * the feature server serves from, whoever wrote the file.
 */
public final class FeastRegistry {
  /** Feast's {@code SparkSource} class, which Feast's SDK instantiates for a BATCH_SPARK source. */
  public static final String SPARK_SOURCE_CLASS =
      "feast.infra.offline_stores.contrib.spark_offline_store.spark_source.SparkSource";

  /** Feast's {@code KafkaSource} class. */
  public static final String KAFKA_SOURCE_CLASS = "feast.data_source.KafkaSource";

  private static final int PROJECTS_FIELD = 17;

  private final Registry proto;

  private FeastRegistry(Registry proto) {
    this.proto = requireNonNull(proto, "proto");
  }

  /** Wraps a registry proto. */
  public static FeastRegistry of(Registry proto) {
    return new FeastRegistry(proto);
  }

  /** The registry proto. */
  public Registry proto() {
    return proto;
  }

  /**
   * Reads {@code file}.
   *
   * @throws DefinitionException when it is missing (run {@code lakerank features apply}) or not a
   *     Feast registry
   */
  public static FeastRegistry read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw FeatureStoreErrors.undefined(
          "no feature registry at "
              + file.toAbsolutePath()
              + "; run `lakerank features apply` first");
    }
    try {
      return new FeastRegistry(Registry.parseFrom(Files.readAllBytes(file)));
    } catch (InvalidProtocolBufferException e) {
      throw FeatureStoreErrors.invalidDefinition(
          file + " is not a Feast registry (a serialized feast.core.Registry): " + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Reads {@code file} if it exists. */
  public static Optional<FeastRegistry> readIfExists(Path file) {
    return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
  }

  /** Writes the registry to {@code file}, replacing it atomically. */
  public void write(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
      Files.write(temporary, proto.toByteArray());
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the feature registry " + file, e);
    }
  }

  /**
   * The registry of {@code repository}.
   *
   * @param sourcePath where each view's offline Delta table is (the SparkSource path)
   * @param previous the registry being replaced: creation times and materialization intervals of
   *     views that still exist are kept
   */
  public static FeastRegistry build(
      FeatureRepository repository,
      Function<FeatureView, String> sourcePath,
      Optional<FeastRegistry> previous,
      Instant now) {
    String project = repository.config().project();
    Timestamp updated = FeatureValues.timestamp(now);
    Registry.Builder registry =
        Registry.newBuilder()
            .setRegistrySchemaVersion("1")
            .setVersionId(UUID.randomUUID().toString())
            .setLastUpdated(updated);
    String projectUuid =
        previous
            .flatMap(p -> p.proto.getProjectMetadataList().stream().findFirst())
            .map(ProjectMetadata::getProjectUuid)
            .orElse(UUID.randomUUID().toString());
    registry.addProjectMetadata(
        ProjectMetadata.newBuilder().setProject(project).setProjectUuid(projectUuid));
    registry.setUnknownFields(
        UnknownFieldSet.newBuilder()
            .addField(
                PROJECTS_FIELD,
                UnknownFieldSet.Field.newBuilder()
                    .addLengthDelimited(projectBytes(project, updated))
                    .build())
            .build());

    for (Entity entity : repository.entities()) {
      registry.addEntities(
          EntityProto.Entity.newBuilder()
              .setSpec(
                  EntityProto.EntitySpecV2.newBuilder()
                      .setName(entity.name())
                      .setValueType(valueType(entity.valueType()))
                      .setJoinKey(entity.joinKey())
                      .setProject(project)
                      .setDescription(entity.description()))
              .setMeta(
                  EntityProto.EntityMeta.newBuilder()
                      .setCreatedTimestamp(updated)
                      .setLastUpdatedTimestamp(updated)));
    }
    Map<String, FeatureViewProto.FeatureViewMeta> oldMeta =
        previous.map(FeastRegistry::viewMeta).orElse(Map.of());
    for (FeatureView view : repository.featureViews()) {
      DataSource batch = sparkSource(view, project, sourcePath.apply(view));
      registry.addDataSources(batch);
      FeatureViewProto.FeatureViewMeta.Builder meta =
          FeatureViewProto.FeatureViewMeta.newBuilder()
              .setCreatedTimestamp(updated)
              .setLastUpdatedTimestamp(updated);
      FeatureViewProto.FeatureViewMeta old = oldMeta.get(view.name());
      if (old != null) {
        meta.setCreatedTimestamp(old.getCreatedTimestamp())
            .addAllMaterializationIntervals(old.getMaterializationIntervalsList());
      }
      addView(registry, repository, view, project, batch, meta);
    }
    addServices(registry, repository, project, updated);
    return new FeastRegistry(registry.build());
  }

  /** A feature view, or a stream feature view with its Kafka source, with its metadata. */
  private static void addView(
      Registry.Builder registry,
      FeatureRepository repository,
      FeatureView view,
      String project,
      DataSource batch,
      FeatureViewProto.FeatureViewMeta.Builder meta) {
    if (view.isStream()) {
      DataSource stream = kafkaSource(view, project, batch);
      registry.addDataSources(stream);
      registry.addStreamFeatureViews(
          StreamFeatureViewProto.StreamFeatureView.newBuilder()
              .setSpec(
                  StreamFeatureViewProto.StreamFeatureViewSpec.newBuilder()
                      .setName(view.name())
                      .setProject(project)
                      .addAllEntities(view.entities())
                      .addAllFeatures(features(view.features()))
                      .addAllEntityColumns(entityColumns(repository, view))
                      .setDescription(view.description())
                      .putAllTags(view.tags())
                      .setTtl(duration(view.ttl()))
                      .setBatchSource(batch)
                      .setStreamSource(stream)
                      .setOnline(view.online())
                      .setMode("spark")
                      .setTimestampField(view.source().timestampField()))
              .setMeta(meta));
    } else {
      registry.addFeatureViews(
          FeatureViewProto.FeatureView.newBuilder()
              .setSpec(
                  FeatureViewProto.FeatureViewSpec.newBuilder()
                      .setName(view.name())
                      .setProject(project)
                      .addAllEntities(view.entities())
                      .addAllFeatures(features(view.features()))
                      .addAllEntityColumns(entityColumns(repository, view))
                      .setDescription(view.description())
                      .putAllTags(view.tags())
                      .setTtl(duration(view.ttl()))
                      .setBatchSource(batch)
                      .setOnline(view.online()))
              .setMeta(meta));
    }
  }

  /** Every feature service, with the features of each view it projects. */
  private static void addServices(
      Registry.Builder registry, FeatureRepository repository, String project, Timestamp updated) {
    for (FeatureService service : repository.featureServices()) {
      FeatureServiceProto.FeatureServiceSpec.Builder spec =
          FeatureServiceProto.FeatureServiceSpec.newBuilder()
              .setName(service.name())
              .setProject(project)
              .setDescription(service.description());
      for (FeatureViewProjection projection : service.projections()) {
        FeatureView view = repository.featureView(projection.featureView());
        Builder proto =
            feast.proto.core.FeatureReferenceProto.FeatureViewProjection.newBuilder()
                .setFeatureViewName(projection.featureView());
        for (String feature : projection.features()) {
          proto.addFeatureColumns(featureSpec(view.feature(feature).orElseThrow()));
        }
        spec.addFeatures(proto);
      }
      registry.addFeatureServices(
          FeatureServiceProto.FeatureService.newBuilder()
              .setSpec(spec)
              .setMeta(
                  FeatureServiceProto.FeatureServiceMeta.newBuilder()
                      .setCreatedTimestamp(updated)
                      .setLastUpdatedTimestamp(updated)));
    }
  }

  /** The project the registry's objects belong to. */
  public String project() {
    if (proto.getProjectMetadataCount() > 0) {
      return proto.getProjectMetadata(0).getProject();
    }
    if (proto.getFeatureViewsCount() > 0) {
      return proto.getFeatureViews(0).getSpec().getProject();
    }
    throw FeatureStoreErrors.invalidDefinition(
        "the feature registry names no project; run `lakerank features apply` again");
  }

  /** Every online feature view and stream feature view, by name. */
  public Map<String, OnlineView> onlineViews() {
    Map<String, OnlineView> views = new LinkedHashMap<>();
    for (FeatureViewProto.FeatureView view : proto.getFeatureViewsList()) {
      FeatureViewProto.FeatureViewSpec spec = view.getSpec();
      if (spec.getOnline()) {
        views.put(
            spec.getName(),
            onlineView(
                spec.getName(),
                spec.getEntityColumnsList(),
                spec.getFeaturesList(),
                spec.getTtl()));
      }
    }
    for (StreamFeatureViewProto.StreamFeatureView view : proto.getStreamFeatureViewsList()) {
      StreamFeatureViewProto.StreamFeatureViewSpec spec = view.getSpec();
      if (spec.getOnline()) {
        views.put(
            spec.getName(),
            onlineView(
                spec.getName(),
                spec.getEntityColumnsList(),
                spec.getFeaturesList(),
                spec.getTtl()));
      }
    }
    return views;
  }

  /**
   * The features of a feature service, in order.
   *
   * @throws DefinitionException naming the services there are when there is no such service
   */
  public List<FeatureReference> featureService(String name) {
    for (FeatureServiceProto.FeatureService service : proto.getFeatureServicesList()) {
      if (service.getSpec().getName().equals(name)) {
        List<FeatureReference> references = new ArrayList<>();
        for (var projection : service.getSpec().getFeaturesList()) {
          String view =
              projection.getFeatureViewNameAlias().isEmpty()
                  ? projection.getFeatureViewName()
                  : projection.getFeatureViewNameAlias();
          for (FeatureSpecV2 feature : projection.getFeatureColumnsList()) {
            references.add(new FeatureReference(view, feature.getName()));
          }
        }
        return references;
      }
    }
    throw FeatureStoreErrors.undefined(
        "no feature service `"
            + name
            + "` in the registry (there are: "
            + String.join(
                ", ",
                proto.getFeatureServicesList().stream().map(s -> s.getSpec().getName()).toList())
            + ")");
  }

  /** The end of the latest materialization of {@code view}, if it was ever materialized. */
  public Optional<Instant> materializedUntil(String view) {
    FeatureViewProto.FeatureViewMeta meta = viewMeta(this).get(view);
    if (meta == null) {
      return Optional.empty();
    }
    return meta.getMaterializationIntervalsList().stream()
        .map(i -> FeatureValues.instant(i.getEndTime()))
        .max(Instant::compareTo);
  }

  /**
   * This registry with a materialization of {@code view} over [start, end] recorded, as Feast
   * records it.
   */
  public FeastRegistry withMaterialization(String view, Instant start, Instant end, Instant now) {
    Registry.Builder registry = proto.toBuilder().setLastUpdated(FeatureValues.timestamp(now));
    FeatureViewProto.MaterializationInterval interval =
        FeatureViewProto.MaterializationInterval.newBuilder()
            .setStartTime(FeatureValues.timestamp(start))
            .setEndTime(FeatureValues.timestamp(end))
            .build();
    boolean found = false;
    for (FeatureViewProto.FeatureView.Builder fv : registry.getFeatureViewsBuilderList()) {
      if (fv.getSpec().getName().equals(view)) {
        fv.getMetaBuilder()
            .addMaterializationIntervals(interval)
            .setLastUpdatedTimestamp(FeatureValues.timestamp(now));
        found = true;
      }
    }
    for (StreamFeatureViewProto.StreamFeatureView.Builder fv :
        registry.getStreamFeatureViewsBuilderList()) {
      if (fv.getSpec().getName().equals(view)) {
        fv.getMetaBuilder()
            .addMaterializationIntervals(interval)
            .setLastUpdatedTimestamp(FeatureValues.timestamp(now));
        found = true;
      }
    }
    if (!found) {
      throw FeatureStoreErrors.undefined(
          "no feature view `" + view + "` in the registry; run `lakerank features apply`");
    }
    return new FeastRegistry(registry.build());
  }

  private static Map<String, FeatureViewProto.FeatureViewMeta> viewMeta(FeastRegistry registry) {
    Map<String, FeatureViewProto.FeatureViewMeta> meta = new LinkedHashMap<>();
    registry.proto.getFeatureViewsList().forEach(v -> meta.put(v.getSpec().getName(), v.getMeta()));
    registry
        .proto
        .getStreamFeatureViewsList()
        .forEach(v -> meta.put(v.getSpec().getName(), v.getMeta()));
    return meta;
  }

  private static OnlineView onlineView(
      String name,
      List<FeatureSpecV2> entityColumns,
      List<FeatureSpecV2> features,
      com.google.protobuf.Duration ttl) {
    List<OnlineView.JoinKey> keys = new ArrayList<>();
    for (FeatureSpecV2 column : entityColumns) {
      keys.add(
          new OnlineView.JoinKey(
              column.getName(), valueType(column.getValueType(), name + "." + column.getName())));
    }
    List<Feature> list = new ArrayList<>();
    for (FeatureSpecV2 feature : features) {
      list.add(
          new Feature(
              feature.getName(),
              valueType(feature.getValueType(), name + ":" + feature.getName())));
    }
    return new OnlineView(name, keys, list, Duration.ofSeconds(ttl.getSeconds(), ttl.getNanos()));
  }

  private static ValueType valueType(ValueProto.ValueType.Enum type, String what) {
    for (ValueType candidate : ValueType.values()) {
      if (candidate.protoNumber() == type.getNumber()) {
        return candidate;
      }
    }
    throw FeatureStoreErrors.invalidDefinition(
        what + " has Feast type " + type + ", which Lakerank does not serve");
  }

  private static ValueProto.ValueType.Enum valueType(ValueType type) {
    return ValueProto.ValueType.Enum.forNumber(type.protoNumber());
  }

  private static List<FeatureSpecV2> features(List<Feature> features) {
    return features.stream().map(FeastRegistry::featureSpec).toList();
  }

  private static FeatureSpecV2 featureSpec(Feature feature) {
    return FeatureSpecV2.newBuilder()
        .setName(feature.name())
        .setValueType(valueType(feature.valueType()))
        .build();
  }

  private static List<FeatureSpecV2> entityColumns(FeatureRepository repository, FeatureView view) {
    List<FeatureSpecV2> columns = new ArrayList<>();
    for (String entityName : view.entities()) {
      Entity entity = repository.entity(entityName);
      columns.add(
          FeatureSpecV2.newBuilder()
              .setName(entity.joinKey())
              .setValueType(valueType(entity.valueType()))
              .build());
    }
    return columns;
  }

  private static DataSource sparkSource(FeatureView view, String project, String path) {
    DataSource.Builder source =
        DataSource.newBuilder()
            .setType(DataSource.SourceType.BATCH_SPARK)
            .setName(view.source().name())
            .setProject(project)
            .setTimestampField(view.source().timestampField())
            .setDataSourceClassType(SPARK_SOURCE_CLASS)
            .setDescription("Delta table " + view.source().table())
            .setSparkOptions(
                DataSource.SparkOptions.newBuilder().setPath(path).setFileFormat("delta"));
    view.source().createdTimestamp().ifPresent(source::setCreatedTimestampColumn);
    return source.build();
  }

  private static DataSource kafkaSource(FeatureView view, String project, DataSource batch) {
    FeatureView.StreamSource stream = view.stream();
    return DataSource.newBuilder()
        .setType(DataSource.SourceType.STREAM_KAFKA)
        .setName(stream.name())
        .setProject(project)
        .setTimestampField(view.source().timestampField())
        .setDataSourceClassType(KAFKA_SOURCE_CLASS)
        .setBatchSource(batch)
        .setKafkaOptions(
            DataSource.KafkaOptions.newBuilder()
                .setKafkaBootstrapServers(stream.bootstrapServers())
                .setTopic(stream.topic())
                .setMessageFormat(
                    DataFormatProto.StreamFormat.newBuilder()
                        .setJsonFormat(
                            DataFormatProto.StreamFormat.JsonFormat.newBuilder()
                                .setSchemaJson(""))))
        .build();
  }

  private static com.google.protobuf.Duration duration(Duration duration) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(duration.getSeconds())
        .setNanos(duration.getNano())
        .build();
  }

  /**
   * {@code Project{spec=1: ProjectSpec{name=1}, meta=2: ProjectMeta{created=1, updated=2}}}, by
   * hand: 0.38's protos predate it.
   */
  private static com.google.protobuf.ByteString projectBytes(String project, Timestamp updated) {
    UnknownFieldSet spec =
        UnknownFieldSet.newBuilder()
            .addField(
                1,
                UnknownFieldSet.Field.newBuilder()
                    .addLengthDelimited(com.google.protobuf.ByteString.copyFromUtf8(project))
                    .build())
            .build();
    UnknownFieldSet meta =
        UnknownFieldSet.newBuilder()
            .addField(
                1,
                UnknownFieldSet.Field.newBuilder()
                    .addLengthDelimited(updated.toByteString())
                    .build())
            .addField(
                2,
                UnknownFieldSet.Field.newBuilder()
                    .addLengthDelimited(updated.toByteString())
                    .build())
            .build();
    return UnknownFieldSet.newBuilder()
        .addField(
            1, UnknownFieldSet.Field.newBuilder().addLengthDelimited(spec.toByteString()).build())
        .addField(
            2, UnknownFieldSet.Field.newBuilder().addLengthDelimited(meta.toByteString()).build())
        .build()
        .toByteString();
  }
}
