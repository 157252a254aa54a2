package dev.lakerank.model.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.lakerank.model.bundle.BundleWriter;
import dev.lakerank.model.bundle.Json;
import dev.lakerank.model.bundle.Manifest;
import dev.lakerank.model.bundle.ModelBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A registry in a directory, safe for several processes (changes take a file lock):
 *
 * <pre>
 * &lt;root&gt;/&lt;model&gt;/versions/&lt;n&gt;/   the bundle of version n (manifest.json names version n)
 * &lt;root&gt;/&lt;model&gt;/aliases.json       {"champion": 3, "challenger": 4}, replaced atomically
 * &lt;root&gt;/&lt;model&gt;/history.jsonl      one {@link RegistryEvent} per line, appended
 * </pre>
 *
 * A version is copied in under a temporary name and renamed into place, so a reader never sees a
 * partial version; readers verify every file's checksum when they open a bundle.
 */
public final class LocalModelRegistry implements ModelRegistry {
  private static final String VERSIONS = "versions";
  private static final String ALIASES = "aliases.json";
  private static final String HISTORY = "history.jsonl";

  /**
   * One monitor per model directory for the threads of this JVM: a {@link FileLock} is held for the
   * whole JVM, so a second thread asking for it gets an OverlappingFileLockException, not a wait.
   */
  private static final ConcurrentMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path root;
  private final Clock clock;

  public LocalModelRegistry(Path root, Clock clock) {
    this.root = root.toAbsolutePath().normalize();
    this.clock = clock;
  }

  public Path root() {
    return root;
  }

  @Override
  public String describe() {
    return "registry " + root;
  }

  @Override
  public ModelVersion register(ModelBundle bundle) {
    String model = checkName(bundle.manifest().name(), "model name");
    return locked(
        model,
        () -> {
          Path versions = root.resolve(model).resolve(VERSIONS);
          int next = versionNumbers(model).stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
          Path staging = versions.resolve("." + next + ".incoming");
          Path target = versions.resolve(Integer.toString(next));
          try {
            deleteTree(staging);
            Files.createDirectories(staging);
            for (String file : bundle.manifest().files().keySet()) {
              Path destination = staging.resolve(file);
              Files.createDirectories(destination.getParent());
              Files.copy(bundle.file(file), destination);
            }
            BundleWriter.writeManifest(staging, bundle.manifest().withVersion(next));
            ModelBundle.open(staging);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
          } catch (IOException e) {
            throw new UncheckedIOException(
                "cannot copy bundle " + bundle.directory() + " into the registry at " + target, e);
          }
          append(model, new RegistryEvent(now(), RegistryEvent.REGISTER, null, next, null, null));
          return version(model, next);
        });
  }

  @Override
  public List<String> models() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children
          .filter(p -> Files.isDirectory(p.resolve(VERSIONS)))
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list registry " + root, e);
    }
  }

  @Override
  public List<ModelVersion> versions(String model) {
    checkName(model, "model name");
    List<RegistryEvent> history = history(model);
    List<ModelVersion> out = new ArrayList<>();
    for (int version : versionNumbers(model)) {
      out.add(version(model, version, history));
    }
    return out;
  }

  @Override
  public ModelVersion version(String model, int version) {
    checkName(model, "model name");
    return version(model, version, history(model));
  }

  /** One version, its registration time taken from {@code history} (read once by the caller). */
  private ModelVersion version(String model, int version, List<RegistryEvent> history) {
    Path directory = root.resolve(model).resolve(VERSIONS).resolve(Integer.toString(version));
    Path manifestFile = directory.resolve(ModelBundle.MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      List<Integer> known = versionNumbers(model);
      throw known.isEmpty()
          ? unknownModel(model)
          : RegistryErrors.notFound(
              "model `" + model + "` has no version " + version + "; versions: " + known);
    }
    Manifest manifest;
    try {
      manifest = Json.MAPPER.readValue(manifestFile.toFile(), Manifest.class);
    } catch (IOException e) {
      throw RegistryErrors.invalid("cannot read " + manifestFile + ": " + e.getMessage(), e);
    }
    String registeredAt =
        history.stream()
            .filter(
                e ->
                    RegistryEvent.REGISTER.equals(e.event())
                        && Integer.valueOf(version).equals(e.version()))
            .map(RegistryEvent::at)
            .findFirst()
            .orElse(manifest.createdAt());
    return new ModelVersion(model, version, manifest, directory, registeredAt);
  }

  @Override
  public Map<String, Integer> aliases(String model) {
    checkName(model, "model name");
    Path file = root.resolve(model).resolve(ALIASES);
    if (!Files.isRegularFile(file)) {
      return Map.of();
    }
    try {
      return new TreeMap<>(
          Json.MAPPER.readValue(file.toFile(), new TypeReference<Map<String, Integer>>() {}));
    } catch (IOException e) {
      throw RegistryErrors.invalid("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<ModelVersion> alias(String model, String alias) {
    Integer version = aliases(model).get(alias);
    return version == null ? Optional.empty() : Optional.of(version(model, version));
  }

  @Override
  public ModelVersion setAlias(String model, String alias, int version, String reason) {
    requireModel(model);
    checkName(alias, "alias");
    return locked(
        model,
        () -> {
          ModelVersion target = version(model, version);
          Integer previous = writeAlias(model, alias, version);
          append(
              model,
              new RegistryEvent(now(), RegistryEvent.ALIAS, alias, version, previous, reason));
          return target;
        });
  }

  @Override
  public ModelVersion rollback(String model, String alias, String reason) {
    requireModel(model);
    checkName(alias, "alias");
    return locked(
        model,
        () -> {
          AliasHistory.Rollback rollback = AliasHistory.rollback(model, alias, history(model));
          int current = rollback.from();
          int target = rollback.to();
          ModelVersion version = version(model, target);
          writeAlias(model, alias, target);
          append(
              model,
              new RegistryEvent(now(), RegistryEvent.ROLLBACK, alias, target, current, reason));
          return version;
        });
  }

  @Override
  public List<RegistryEvent> history(String model) {
    checkName(model, "model name");
    Path file = root.resolve(model).resolve(HISTORY);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    List<RegistryEvent> events = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          events.add(Json.MAPPER.readValue(line, RegistryEvent.class));
        }
      }
    } catch (IOException e) {
      throw RegistryErrors.invalid("cannot read " + file + ": " + e.getMessage(), e);
    }
    return events;
  }

  private Integer writeAlias(String model, String alias, int version) {
    Map<String, Integer> aliases = new TreeMap<>(aliases(model));
    Integer previous = aliases.put(alias, version);
    Path file = root.resolve(model).resolve(ALIASES);
    Path temporary = root.resolve(model).resolve(ALIASES + ".tmp");
    try {
      Files.writeString(temporary, Json.MAPPER.writeValueAsString(aliases), StandardCharsets.UTF_8);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return previous;
  }

  private void append(String model, RegistryEvent event) {
    Path file = root.resolve(model).resolve(HISTORY);
    try {
      String line =
          Json.MAPPER
                  .copy()
                  .disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(event)
              + "\n";
      Files.writeString(
          file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  private List<Integer> versionNumbers(String model) {
    Path versions = root.resolve(model).resolve(VERSIONS);
    if (!Files.isDirectory(versions)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(versions)) {
      return children
          .map(p -> p.getFileName().toString())
          .filter(name -> name.matches("[1-9][0-9]*"))
          .map(Integer::valueOf)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + versions, e);
    }
  }

  private <T> T locked(String model, Supplier<T> action) {
    Path directory = root.resolve(model);
    synchronized (JVM_LOCKS.computeIfAbsent(directory, d -> new Object())) {
      try {
        Files.createDirectories(directory.resolve(VERSIONS));
        try (FileChannel channel =
                FileChannel.open(
                    directory.resolve(".lock"),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock ignored = channel.lock()) {
          return action.get();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + directory, e);
      }
    }
  }

  /** Refuses an invalid name or a model with no version, before anything is created for it. */
  private void requireModel(String model) {
    checkName(model, "model name");
    if (versionNumbers(model).isEmpty()) {
      throw unknownModel(model);
    }
  }

  private RegistryException unknownModel(String model) {
    List<String> models = models();
    return RegistryErrors.notFound(
        "no model `"
            + model
            + "` in registry "
            + root
            + (models.isEmpty()
                ? " (it is empty: train one with `lakerank train`)"
                : "; models: " + models));
  }

  private static String checkName(String name, String what) {
    return RegistryNames.check(name, what);
  }

  private String now() {
    return clock.instant().toString();
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
