package dev.lakerank.featurestore.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.errors.DefinitionException;
import dev.lakerank.featurestore.format.FeatureValues;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.featurestore.testing.ShopRepository;
import feast.proto.core.DataSourceProto.DataSource;
import feast.proto.core.EntityProto.Entity;
import feast.proto.core.FeatureProto.FeatureSpecV2;
import feast.proto.core.FeatureServiceProto.FeatureServiceSpec;
import feast.proto.core.FeatureViewProto.FeatureView;
import feast.proto.core.FeatureViewProto.FeatureViewSpec;
import feast.proto.core.RegistryProto.Registry;
import feast.proto.core.StreamFeatureViewProto.StreamFeatureViewSpec;
import feast.proto.types.ValueProto.ValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeastRegistryTest {
  private static final Instant APPLIED = Instant.parse("2024-05-01T10:00:00Z");
  private static final String SPARK_SOURCE =
      "feast.infra.offline_stores.contrib.spark_offline_store.spark_source.SparkSource";

  @TempDir Path directory;
  private FeatureRepository repository;
  private Path file;

  @BeforeEach
  void writeRepository() {
    repository = ShopRepository.write(directory);
    file = directory.resolve("data/registry.db");
  }

  private FeastRegistry build(Optional<FeastRegistry> previous, Instant now) {
    return FeastRegistry.build(repository, view -> "/lake/gold/" + view.name(), previous, now);
  }

  /** The registry as Feast reads it: the whole file parsed as feast.core.Registry. */
  private Registry writeAndParse(FeastRegistry registry) throws IOException {
    registry.write(file);
    return Registry.parseFrom(Files.readAllBytes(file));
  }

  @Test
  void writesTheTopLevelFieldsFeastRequires() throws IOException {
    Registry registry = writeAndParse(build(Optional.empty(), APPLIED));

    assertThat(registry.getRegistrySchemaVersion()).isEqualTo("1");
    assertThat(FeatureValues.instant(registry.getLastUpdated())).isEqualTo(APPLIED);
    assertThat(registry.getProjectMetadataList())
        .singleElement()
        .satisfies(meta -> assertThat(meta.getProject()).isEqualTo("shop"))
        .satisfies(meta -> assertThat(meta.getProjectUuid()).isNotEmpty());
  }

  @Test
  void recordsTheProjectInFeastsProjectsField17() throws IOException {
    Registry registry = writeAndParse(build(Optional.empty(), APPLIED));

    // Project{spec=1: ProjectSpec{name=1}, meta=2}, unknown to the 0.38 protos
    List<ByteString> projects = registry.getUnknownFields().getField(17).getLengthDelimitedList();
    assertThat(projects).hasSize(1);
    UnknownFieldSet project = UnknownFieldSet.parseFrom(projects.get(0));
    UnknownFieldSet spec =
        UnknownFieldSet.parseFrom(project.getField(1).getLengthDelimitedList().get(0));
    assertThat(spec.getField(1).getLengthDelimitedList().get(0).toString(StandardCharsets.UTF_8))
        .isEqualTo("shop");
    assertThat(project.hasField(2)).isTrue();
  }

  @Test
  void everyObjectNamesTheProject() throws IOException {
    Registry registry = writeAndParse(build(Optional.empty(), APPLIED));

    assertThat(registry.getEntitiesList())
        .extracting(e -> e.getSpec().getProject())
        .containsOnly("shop");
    assertThat(registry.getFeatureViewsList())
        .extracting(v -> v.getSpec().getProject())
        .containsOnly("shop");
    assertThat(registry.getStreamFeatureViewsList())
        .extracting(v -> v.getSpec().getProject())
        .containsOnly("shop");
    assertThat(registry.getFeatureServicesList())
        .extracting(s -> s.getSpec().getProject())
        .containsOnly("shop");
    assertThat(registry.getDataSourcesList())
        .isNotEmpty()
        .extracting(DataSource::getProject)
        .containsOnly("shop");
  }

  @Test
  void writesEntitiesWithTheirJoinKeysAndTypes() throws IOException {
    Registry registry = writeAndParse(build(Optional.empty(), APPLIED));

    assertThat(registry.getEntitiesList())
        .extracting(
            e -> e.getSpec().getName(),
            e -> e.getSpec().getJoinKey(),
            e -> e.getSpec().getValueType())
        .containsExactly(
            tuple("user", "user_id", ValueType.Enum.INT64),
            tuple("item", "item_id", ValueType.Enum.INT64));
    assertThat(registry.getEntitiesList())
        .extracting(Entity::getMeta)
        .allSatisfy(m -> assertThat(m.hasCreatedTimestamp()).isTrue());
  }

  @Test
  void writesFeatureViewsAsFeastMaterializesThem() throws IOException {
    Registry registry = writeAndParse(build(Optional.empty(), APPLIED));

    assertThat(registry.getFeatureViewsList())
        .extracting(v -> v.getSpec().getName())
        .containsExactly(
            "user_activity", "item_profile", "user_item_affinity", "user_demographics");
    FeatureViewSpec activity = view(registry, "user_activity");
    assertThat(activity.getOnline()).isTrue();
    assertThat(activity.getEntitiesList()).containsExactly("user");
    assertThat(activity.getEntityColumnsList())
        .containsExactly(spec("user_id", ValueType.Enum.INT64));
    assertThat(activity.getFeaturesList())
        .containsExactly(
            spec("clicks_7d", ValueType.Enum.INT64),
            spec("ctr_7d", ValueType.Enum.DOUBLE),
            spec("last_category", ValueType.Enum.STRING));
    assertThat(activity.getTtl().getSeconds()).isEqualTo(Duration.ofDays(7).getSeconds());

    assertThat(view(registry, "item_profile").getTtl().getSeconds()).isZero();
    assertThat(view(registry, "item_profile").getOnline()).isTrue();
    assertThat(view(registry, "user_item_affinity").getEntityColumnsList())
        .containsExactly(
            spec("user_id", ValueType.Enum.INT64), spec("item_id", ValueType.Enum.INT64));
    assertThat(view(registry, "user_demographics").getOnline()).isFalse();
  }

  @Test
  void batchSourcesAreSparkSourcesOfDeltaTables() throws IOException {
    Registry registry = writeAndParse(build(Optional.empty(), APPLIED));

    DataSource source = view(registry, "user_activity").getBatchSource();
    assertThat(source.getType()).isEqualTo(DataSource.SourceType.BATCH_SPARK);
    assertThat(source.getName()).isEqualTo("user_activity_source");
    assertThat(source.getDataSourceClassType()).isEqualTo(SPARK_SOURCE);
    assertThat(source.getSparkOptions().getPath()).isEqualTo("/lake/gold/user_activity");
    assertThat(source.getSparkOptions().getFileFormat()).isEqualTo("delta");
    assertThat(source.getTimestampField()).isEqualTo("event_timestamp");
    assertThat(source.getCreatedTimestampColumn()).isEqualTo("created_timestamp");
    assertThat(view(registry, "item_profile").getBatchSource().getCreatedTimestampColumn())
        .isEmpty();
    assertThat(registry.getDataSourcesList())
        .extracting(DataSource::getName)
        .contains("user_activity_source", "item_profile_source");
  }

  @Test
  void streamFeatureViewsHaveAKafkaSourceBackedByTheirDeltaTable() throws IOException {
    Registry registry = writeAndParse(build(Optional.empty(), APPLIED));

    assertThat(registry.getStreamFeatureViewsList())
        .singleElement()
        .satisfies(
            view -> {
              StreamFeatureViewSpec spec = view.getSpec();
              assertThat(spec.getName()).isEqualTo("item_popularity");
              assertThat(spec.getOnline()).isTrue();
              assertThat(spec.getEntityColumnsList())
                  .containsExactly(spec("item_id", ValueType.Enum.INT64));
              assertThat(spec.getFeaturesList())
                  .containsExactly(
                      spec("impressions_1h", ValueType.Enum.INT64),
                      spec("ctr_1h", ValueType.Enum.DOUBLE));
              assertThat(spec.getTtl().getSeconds()).isEqualTo(86_400);
              assertThat(spec.getBatchSource().getType())
                  .isEqualTo(DataSource.SourceType.BATCH_SPARK);
              assertThat(spec.getBatchSource().getSparkOptions().getPath())
                  .isEqualTo("/lake/gold/item_popularity");
              DataSource stream = spec.getStreamSource();
              assertThat(stream.getType()).isEqualTo(DataSource.SourceType.STREAM_KAFKA);
              assertThat(stream.getName()).isEqualTo("item_popularity_stream");
              assertThat(stream.getDataSourceClassType())
                  .isEqualTo("feast.data_source.KafkaSource");
              assertThat(stream.getKafkaOptions().getTopic()).isEqualTo("item-events");
              assertThat(stream.getKafkaOptions().getKafkaBootstrapServers())
                  .isEqualTo("127.0.0.1:9092");
              assertThat(stream.getBatchSource().getName()).isEqualTo("item_popularity_source");
            });
    assertThat(registry.getFeatureViewsList())
        .extracting(v -> v.getSpec().getName())
        .doesNotContain("item_popularity");
  }

  @Test
  void featureServicesProjectTheirFeaturesWithTypes() throws IOException {
    Registry registry = writeAndParse(build(Optional.empty(), APPLIED));

    assertThat(registry.getFeatureServicesList())
        .singleElement()
        .satisfies(
            service -> {
              FeatureServiceSpec spec = service.getSpec();
              assertThat(spec.getName()).isEqualTo("ranker");
              assertThat(spec.getFeaturesList())
                  .extracting(
                      p -> p.getFeatureViewName(),
                      p -> p.getFeatureColumnsList(),
                      p -> p.getFeatureViewNameAlias())
                  .containsExactly(
                      tuple(
                          "user_activity",
                          List.of(
                              spec("ctr_7d", ValueType.Enum.DOUBLE),
                              spec("clicks_7d", ValueType.Enum.INT64)),
                          ""),
                      tuple("item_popularity", List.of(spec("ctr_1h", ValueType.Enum.DOUBLE)), ""),
                      tuple("item_profile", List.of(spec("price", ValueType.Enum.DOUBLE)), ""));
            });
  }

  @Test
  void onlineViewsReadBackFromTheFileAreThoseOfTheDefinitions() throws IOException {
    writeAndParse(build(Optional.empty(), APPLIED));
    FeastRegistry read = FeastRegistry.read(file);

    assertThat(read.project()).isEqualTo("shop");
    assertThat(read.onlineViews().keySet())
        .containsExactly("user_activity", "item_profile", "user_item_affinity", "item_popularity");
    read.onlineViews()
        .forEach(
            (name, view) ->
                assertThat(view)
                    .isEqualTo(OnlineView.of(repository, repository.featureView(name))));
    assertThat(read.onlineViews().get("user_activity").ttl()).isEqualTo(Duration.ofDays(7));
    assertThat(read.onlineViews().get("item_profile").ttl()).isZero();
  }

  @Test
  void featureServiceListsTheReferencesInOrder() throws IOException {
    writeAndParse(build(Optional.empty(), APPLIED));
    FeastRegistry read = FeastRegistry.read(file);

    assertThat(read.featureService("ranker"))
        .isEqualTo(repository.featureService("ranker").references());
    assertThatThrownBy(() -> read.featureService("scorer"))
        .isInstanceOf(DefinitionException.class)
        .hasMessage("no feature service `scorer` in the registry (there are: ranker)");
  }

  @Test
  void materializedUntilIsTheLatestEndRecorded() {
    FeastRegistry registry =
        build(Optional.empty(), APPLIED)
            .withMaterialization(
                "user_activity", APPLIED.minusSeconds(86_400), APPLIED, APPLIED.plusSeconds(60))
            .withMaterialization(
                "user_activity",
                APPLIED.minusSeconds(3 * 86_400),
                APPLIED.minusSeconds(2 * 86_400),
                APPLIED.plusSeconds(120))
            .withMaterialization(
                "item_popularity",
                APPLIED.minusSeconds(3_600),
                APPLIED.minusSeconds(60),
                APPLIED.plusSeconds(180));

    assertThat(registry.materializedUntil("user_activity")).contains(APPLIED);
    assertThat(registry.materializedUntil("item_popularity")).contains(APPLIED.minusSeconds(60));
    assertThat(registry.materializedUntil("item_profile")).isEmpty();
    assertThat(registry.materializedUntil("no_such_view")).isEmpty();
    assertThat(FeatureValues.instant(registry.proto().getLastUpdated()))
        .isEqualTo(APPLIED.plusSeconds(180));
  }

  @Test
  void aRebuildKeepsMaterializationIntervalsCreationTimesAndTheProjectId() throws IOException {
    FeastRegistry first =
        build(Optional.empty(), APPLIED)
            .withMaterialization(
                "user_activity", APPLIED.minusSeconds(86_400), APPLIED, APPLIED.plusSeconds(60))
            .withMaterialization(
                "item_popularity", APPLIED.minusSeconds(3_600), APPLIED, APPLIED.plusSeconds(60));
    first.write(file);
    Instant reapplied = APPLIED.plusSeconds(86_400);

    FeastRegistry second = build(FeastRegistry.readIfExists(file), reapplied);
    Registry proto = writeAndParse(second);

    assertThat(second.materializedUntil("user_activity")).contains(APPLIED);
    assertThat(second.materializedUntil("item_popularity")).contains(APPLIED);
    FeatureView activity =
        proto.getFeatureViewsList().stream()
            .filter(v -> v.getSpec().getName().equals("user_activity"))
            .findFirst()
            .orElseThrow();
    assertThat(activity.getMeta().getMaterializationIntervalsList()).hasSize(1);
    assertThat(FeatureValues.instant(activity.getMeta().getCreatedTimestamp())).isEqualTo(APPLIED);
    assertThat(FeatureValues.instant(activity.getMeta().getLastUpdatedTimestamp()))
        .isEqualTo(reapplied);
    assertThat(proto.getProjectMetadata(0).getProjectUuid())
        .isEqualTo(first.proto().getProjectMetadata(0).getProjectUuid());
  }

  @Test
  void refusesToRecordMaterializationOfAnUnknownView() {
    FeastRegistry registry = build(Optional.empty(), APPLIED);

    assertThatThrownBy(() -> registry.withMaterialization("nope", APPLIED, APPLIED, APPLIED))
        .isInstanceOf(DefinitionException.class)
        .hasMessage("no feature view `nope` in the registry; run `lakerank features apply`");
  }

  @Test
  void readingAMissingOrForeignFileSaysWhatToDo() throws IOException {
    assertThatThrownBy(() -> FeastRegistry.read(file))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("no feature registry at ")
        .hasMessageEndingWith("; run `lakerank features apply` first");
    assertThat(FeastRegistry.readIfExists(file)).isEmpty();

    Files.createDirectories(file.getParent());
    // field 1 announces 5 bytes but only 2 follow
    Files.write(file, new byte[] {0x0a, 0x05, 'a', 'b'});
    assertThatThrownBy(() -> FeastRegistry.read(file))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("is not a Feast registry (a serialized feast.core.Registry)");
  }

  private static FeatureViewSpec view(Registry registry, String name) {
    return registry.getFeatureViewsList().stream()
        .map(FeatureView::getSpec)
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static FeatureSpecV2 spec(String name, ValueType.Enum type) {
    return FeatureSpecV2.newBuilder().setName(name).setValueType(type).build();
  }
}
