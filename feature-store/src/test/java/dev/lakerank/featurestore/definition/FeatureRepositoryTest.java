package dev.lakerank.featurestore.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakerank.featurestore.errors.DefinitionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureRepositoryTest {
  static final String CONFIG =
      "project: shop\nonline_store:\n  type: redis\n  connection_string: \"127.0.0.1:6379\"\n";

  @TempDir Path directory;

  @Test
  void readsTheShippedRepository() {
    FeatureRepository repository = FeatureRepository.load(Path.of("..", "feature-repo"));
    assertThat(repository.config().project()).isEqualTo("lakerank");
    assertThat(repository.config().entityKeySerializationVersion()).isEqualTo(3);
    assertThat(repository.config().onlineStore().type()).isEqualTo("sqlite");
    assertThat(repository.entity("user").joinKey()).isEqualTo("user_id");
    assertThat(repository.entity("item").valueType()).isEqualTo(ValueType.INT64);
    FeatureView activity = repository.featureView("user_activity");
    assertThat(activity.ttl()).isEqualTo(Duration.ofDays(35));
    assertThat(activity.online()).isTrue();
    assertThat(activity.source().table()).isEqualTo("gold.user_activity_features");
    assertThat(activity.source().createdTimestamp()).contains("created_timestamp");
    assertThat(repository.featureView("item_profile").hasTtl()).isFalse();
    assertThat(repository.featureService("ranker").references())
        .first()
        .isEqualTo(new FeatureReference("user_activity", "impressions_1d"));
  }

  @Test
  void readsFeastsKeysFromTheConfiguration() throws IOException {
    write("feature_store.yaml", CONFIG);
    RepoConfig config = FeatureRepository.load(directory).config();
    assertThat(config.project()).isEqualTo("shop");
    assertThat(config.registry()).isEqualTo("data/registry.db");
    assertThat(config.provider()).isEqualTo("local");
    assertThat(config.onlineStore().connectionString()).isEqualTo("127.0.0.1:6379");
    assertThat(config.offlineStoreType()).isEqualTo("spark");
  }

  @Test
  void refusesAViewOfAnUndefinedEntity() throws IOException {
    write("feature_store.yaml", CONFIG);
    write(
        "features.yaml",
        """
        entities:
          - {name: user, join_key: user_id, value_type: Int64}
        feature_views:
          - name: clicks
            entities: [customer]
            source: {table: gold.clicks, timestamp_field: ts}
            features:
              - {name: n, dtype: Int64}
        """);
    assertThatThrownBy(() -> FeatureRepository.load(directory))
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            "feature view `clicks` names entity `customer`, which is not defined (defined: user)");
  }

  @Test
  void namesTheFileAndPlaceOfAWrongType() throws IOException {
    write("feature_store.yaml", CONFIG);
    write(
        "features.yaml",
        """
        entities:
          - {name: user, join_key: user_id, value_type: Int64}
        feature_views:
          - name: clicks
            entities: [user]
            source: {table: gold.clicks, timestamp_field: ts}
            features:
              - {name: n, dtype: Integer}
        """);
    assertThatThrownBy(() -> FeatureRepository.load(directory))
        .isInstanceOf(DefinitionException.class)
        .hasMessageStartingWith(
            "features.yaml: feature_views[0] (clicks).features[0] (n).dtype: unknown value type `Integer`; use one of Bytes, String, Int32, Int64");
  }

  @Test
  void refusesAServiceThatNamesAMissingFeature() throws IOException {
    write("feature_store.yaml", CONFIG);
    write(
        "features.yaml",
        """
        entities:
          - {name: user, join_key: user_id, value_type: Int64}
        feature_views:
          - name: clicks
            entities: [user]
            ttl: 1d
            source: {table: gold.clicks, timestamp_field: ts}
            features:
              - {name: n, dtype: Int64}
        feature_services:
          - name: model
            features:
              - {feature_view: clicks, features: [n, m]}
        """);
    assertThatThrownBy(() -> FeatureRepository.load(directory))
        .isInstanceOf(DefinitionException.class)
        .hasMessage(
            "feature service `model`: feature view `clicks` has no feature `m` (it has: n)");
  }

  @Test
  void refusesADirectoryWithoutConfiguration() {
    assertThatThrownBy(() -> FeatureRepository.load(directory))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("no feature_store.yaml in");
  }

  @Test
  void refusesAnUnknownSection() throws IOException {
    write("feature_store.yaml", CONFIG);
    write("extra.yaml", "features_views: []\n");
    assertThatThrownBy(() -> FeatureRepository.load(directory))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("unknown section `features_views`");
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(directory.resolve(name), text);
  }
}
