package dev.lakerank.featurestore.definition;

import static java.util.Objects.requireNonNull;

import dev.lakerank.featurestore.errors.DefinitionException;
import dev.lakerank.featurestore.errors.FeatureStoreErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A feature repository: {@code feature_store.yaml} (Feast's repository configuration) and the
 * definition files beside it (every other {@code *.yaml}), checked for consistency as a whole.
 *
 * <p>Example:
 *
 * <pre>{@code
 * FeatureRepository repo = FeatureRepository.load(Path.of("feature-repo"));
 * List<FeatureReference> refs = repo.featureService("ranker").references();
 * }</pre>
 */
public final class FeatureRepository {
  /** The name of the repository configuration file, as in Feast. */
  public static final String CONFIG_FILE = "feature_store.yaml";

  private final Path directory;
  private final RepoConfig config;
  private final Map<String, Entity> entities;
  private final Map<String, FeatureView> featureViews;
  private final Map<String, FeatureService> featureServices;

  FeatureRepository(
      Path directory,
      RepoConfig config,
      Collection<Entity> entities,
      Collection<FeatureView> featureViews,
      Collection<FeatureService> featureServices) {
    this.directory = requireNonNull(directory, "directory");
    this.config = requireNonNull(config, "config");
    this.entities = index(entities, Entity::name, "entity");
    this.featureViews = index(featureViews, FeatureView::name, "feature view");
    this.featureServices = index(featureServices, FeatureService::name, "feature service");
    checkReferences();
  }

  /**
   * Reads the repository in {@code directory}.
   *
   * @throws DefinitionException naming the file, the object and the fix when a definition is wrong
   */
  public static FeatureRepository load(Path directory) {
    Path configFile = directory.resolve(CONFIG_FILE);
    if (!Files.isRegularFile(configFile)) {
      throw FeatureStoreErrors.undefined(
          "no "
              + CONFIG_FILE
              + " in "
              + directory.toAbsolutePath()
              + "; point features.repo (or --feature-repo) at the feature-repo directory");
    }
    RepositoryReader reader = new RepositoryReader();
    RepoConfig config = reader.readConfig(configFile);
    List<Entity> entities = new ArrayList<>();
    List<FeatureView> views = new ArrayList<>();
    List<FeatureService> services = new ArrayList<>();
    for (Path file : definitionFiles(directory)) {
      reader.readDefinitions(file, entities, views, services);
    }
    return new FeatureRepository(directory, config, entities, views, services);
  }

  private static List<Path> definitionFiles(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().matches(".*\\.ya?ml"))
          .filter(f -> !f.getFileName().toString().equals(CONFIG_FILE))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list feature repository " + directory, e);
    }
  }

  /** The repository's directory. */
  public Path directory() {
    return directory;
  }

  /** The contents of {@code feature_store.yaml}. */
  public RepoConfig config() {
    return config;
  }

  public Collection<Entity> entities() {
    return entities.values();
  }

  public Collection<FeatureView> featureViews() {
    return featureViews.values();
  }

  public Collection<FeatureService> featureServices() {
    return featureServices.values();
  }

  /** The entity called {@code name}, or an error listing the known ones. */
  public Entity entity(String name) {
    return lookup(entities, name, "entity");
  }

  /** The feature view called {@code name}, or an error listing the known ones. */
  public FeatureView featureView(String name) {
    return lookup(featureViews, name, "feature view");
  }

  /** The feature service called {@code name}, or an error listing the known ones. */
  public FeatureService featureService(String name) {
    return lookup(featureServices, name, "feature service");
  }

  /** The join keys of {@code view}'s entities, in the order the view lists them. */
  public List<String> joinKeys(FeatureView view) {
    return view.entities().stream().map(e -> entity(e).joinKey()).toList();
  }

  /**
   * Checks that {@code reference} names an existing feature and returns its definition.
   *
   * @throws DefinitionException naming the missing view or feature and the ones that exist
   */
  public Feature feature(FeatureReference reference) {
    FeatureView view = featureView(reference.featureView());
    return view.feature(reference.feature())
        .orElseThrow(
            () ->
                FeatureStoreErrors.undefined(
                    "feature view `"
                        + view.name()
                        + "` has no feature `"
                        + reference.feature()
                        + "` (it has: "
                        + String.join(", ", view.featureNames())
                        + ")"));
  }

  private void checkReferences() {
    for (FeatureView view : featureViews.values()) {
      if (view.entities().isEmpty()) {
        throw FeatureStoreErrors.invalidDefinition(
            "feature view `" + view.name() + "` names no entities; add `entities: [<entity>]`");
      }
      for (String entityName : view.entities()) {
        if (!entities.containsKey(entityName)) {
          throw FeatureStoreErrors.invalidDefinition(
              "feature view `"
                  + view.name()
                  + "` names entity `"
                  + entityName
                  + "`, which is not defined (defined: "
                  + String.join(", ", entities.keySet())
                  + ")");
        }
      }
      List<String> keys = joinKeys(view);
      for (Feature feature : view.features()) {
        if (keys.contains(feature.name())) {
          throw FeatureStoreErrors.invalidDefinition(
              "feature view `"
                  + view.name()
                  + "` lists its join key `"
                  + feature.name()
                  + "` as a feature; remove it from features");
        }
      }
    }
    for (FeatureService service : featureServices.values()) {
      for (FeatureReference reference : service.references()) {
        try {
          feature(reference);
        } catch (DefinitionException e) {
          throw FeatureStoreErrors.invalidDefinition(
              "feature service `" + service.name() + "`: " + e.getMessage(), e);
        }
      }
    }
  }

  private static <T> Map<String, T> index(
      Collection<T> items, java.util.function.Function<T, String> name, String kind) {
    Map<String, T> byName = new LinkedHashMap<>();
    for (T item : items) {
      if (byName.put(name.apply(item), item) != null) {
        throw FeatureStoreErrors.invalidDefinition(
            kind + " `" + name.apply(item) + "` is defined twice; names must be unique");
      }
    }
    return byName;
  }

  private static <T> T lookup(Map<String, T> byName, String name, String kind) {
    T item = byName.get(name);
    if (item == null) {
      throw FeatureStoreErrors.undefined(
          "unknown "
              + kind
              + " `"
              + name
              + "` (defined: "
              + String.join(", ", byName.keySet())
              + ")");
    }
    return item;
  }
}
