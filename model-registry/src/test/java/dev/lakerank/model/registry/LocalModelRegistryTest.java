package dev.lakerank.model.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakerank.model.bundle.BundleException;
import dev.lakerank.model.bundle.BundleWriter;
import dev.lakerank.model.bundle.Manifest;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.bundle.ModelKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalModelRegistryTest {
  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

  @TempDir Path temp;
  private Path bundles;
  private LocalModelRegistry registry;

  @BeforeEach
  void setUp() throws Exception {
    bundles = Files.createDirectories(temp.resolve("bundles"));
    registry = new LocalModelRegistry(temp.resolve("registry"), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private ModelBundle bundle(String name, String payload) {
    BundleWriter writer = new BundleWriter(bundles.resolve(name + "-" + payload));
    try {
      Files.writeString(writer.pathOf("als/payload.bin"), payload, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    writer.added("als/payload.bin");
    writer.writeJson("evaluation.json", Map.of("metrics", Map.of("ndcg", 0.3)));
    return writer.finish(
        new Manifest(
            Manifest.FORMAT_VERSION,
            name,
            0,
            ModelKind.ALS,
            "2024-05-01T00:00:00Z",
            "3.5.1",
            Map.of("events", 3L),
            null,
            Map.of("rank", 8),
            Map.of("ndcg", 0.3),
            Map.of("payload", payload),
            null));
  }

  private void registerThree() {
    registry.register(bundle("recs", "a"));
    registry.register(bundle("recs", "b"));
    registry.register(bundle("recs", "c"));
  }

  @Test
  void registerAssignsIncreasingVersionsAndRewritesTheManifestVersion() throws Exception {
    ModelBundle source = bundle("recs", "a");
    ModelVersion first = registry.register(source);
    ModelVersion second = registry.register(bundle("recs", "b"));
    ModelVersion third = registry.register(bundle("recs", "c"));

    assertThat(List.of(first.version(), second.version(), third.version()))
        .containsExactly(1, 2, 3);
    assertThat(third.model()).isEqualTo("recs");
    assertThat(third.registeredAt()).isEqualTo(NOW.toString());
    assertThat(third.bundle()).isEqualTo(registry.root().resolve("recs/versions/3"));
    ModelBundle opened = registry.open(third);
    assertThat(opened.manifest().version()).isEqualTo(3);
    assertThat(opened.manifest().lineage()).containsEntry("payload", "c");
    assertThat(opened.file("als/payload.bin")).hasContent("c");
    // everything but the version is kept, and the source bundle is untouched
    assertThat(opened.manifest()).isEqualTo(bundle("recs", "c").manifest().withVersion(3));
    assertThat(ModelBundle.open(source.directory()).manifest().version()).isZero();
    assertThat(registry.history("recs"))
        .extracting(RegistryEvent::event, RegistryEvent::version)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("register", 1),
            org.assertj.core.groups.Tuple.tuple("register", 2),
            org.assertj.core.groups.Tuple.tuple("register", 3));
  }

  @Test
  void registeredCopyVerifiesAndIsIndependentOfTheSource() throws Exception {
    ModelBundle source = bundle("recs", "a");
    ModelVersion version = registry.register(source);
    Files.writeString(source.directory().resolve("als/payload.bin"), "changed after registration");

    ModelBundle copy = ModelBundle.open(version.bundle());
    assertThat(copy.file("als/payload.bin")).hasContent("a");
    assertThat(copy.manifest().files()).isEqualTo(source.manifest().files());

    Files.writeString(version.bundle().resolve("als/payload.bin"), "tampered");
    assertThatThrownBy(() -> registry.open(registry.version("recs", 1)))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("payload.bin")
        .hasMessageContaining("checksum");
  }

  @Test
  void versionsVersionAliasesAndAliasReadBack() {
    registerThree();
    registry.register(bundle("ranker", "x"));

    assertThat(registry.models()).containsExactly("ranker", "recs");
    assertThat(registry.versions("recs"))
        .extracting(ModelVersion::version)
        .containsExactly(1, 2, 3);
    assertThat(registry.versions("recs"))
        .extracting(v -> v.manifest().lineage().get("payload"))
        .containsExactly("a", "b", "c");
    assertThat(registry.versions("nobody")).isEmpty();
    assertThat(registry.version("recs", 2).manifest().version()).isEqualTo(2);

    assertThat(registry.aliases("recs")).isEmpty();
    assertThat(registry.alias("recs", ModelRegistry.CHAMPION)).isEmpty();
    registry.setAlias("recs", ModelRegistry.CHAMPION, 2, "best ndcg");
    registry.setAlias("recs", ModelRegistry.CHALLENGER, 3, "new");

    assertThat(registry.aliases("recs")).isEqualTo(Map.of("champion", 2, "challenger", 3));
    assertThat(registry.alias("recs", "champion"))
        .get()
        .extracting(ModelVersion::version)
        .isEqualTo(2);
    assertThat(registry.aliases("ranker")).isEmpty();
    assertThat(registry.root().resolve("recs/aliases.json.tmp")).doesNotExist();
  }

  @Test
  void setAliasRecordsThePreviousVersionAndReason() {
    registerThree();
    ModelVersion set = registry.setAlias("recs", "champion", 1, "first");
    registry.setAlias("recs", "champion", 3, "better");

    assertThat(set.version()).isEqualTo(1);
    List<RegistryEvent> aliasEvents =
        registry.history("recs").stream()
            .filter(e -> e.event().equals(RegistryEvent.ALIAS))
            .toList();
    assertThat(aliasEvents)
        .containsExactly(
            new RegistryEvent(NOW.toString(), "alias", "champion", 1, null, "first"),
            new RegistryEvent(NOW.toString(), "alias", "champion", 3, 1, "better"));
  }

  @Test
  void rollbackWalksBackThroughTheAliasHistoryLikeAStack() {
    registerThree();
    registry.setAlias("recs", "champion", 1, "A");
    registry.setAlias("recs", "champion", 2, "B");
    registry.setAlias("recs", "champion", 3, "C");
    // another alias must not disturb the champion's stack
    registry.setAlias("recs", "challenger", 1, "other");

    assertThat(registry.rollback("recs", "champion", "C is bad").version()).isEqualTo(2);
    assertThat(registry.aliases("recs"))
        .containsEntry("champion", 2)
        .containsEntry("challenger", 1);
    assertThat(registry.rollback("recs", "champion", "B is bad too").version()).isEqualTo(1);
    assertThat(registry.aliases("recs")).containsEntry("champion", 1);

    assertThatThrownBy(() -> registry.rollback("recs", "champion", "again"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("`champion`")
        .hasMessageContaining("`recs`")
        .hasMessageContaining("no earlier version")
        .hasMessageContaining("version 1")
        .hasMessageContaining("promote");
    assertThat(registry.aliases("recs")).containsEntry("champion", 1);

    List<RegistryEvent> rollbacks =
        registry.history("recs").stream()
            .filter(e -> e.event().equals(RegistryEvent.ROLLBACK))
            .toList();
    assertThat(rollbacks)
        .containsExactly(
            new RegistryEvent(NOW.toString(), "rollback", "champion", 2, 3, "C is bad"),
            new RegistryEvent(NOW.toString(), "rollback", "champion", 1, 2, "B is bad too"));
  }

  @Test
  void settingAnAliasAfterARollbackStacksOnTheRolledBackVersion() {
    registerThree();
    registry.setAlias("recs", "champion", 1, null);
    registry.setAlias("recs", "champion", 2, null);
    registry.rollback("recs", "champion", null);
    registry.setAlias("recs", "champion", 3, null);

    assertThat(registry.rollback("recs", "champion", null).version()).isEqualTo(1);
  }

  @Test
  void rollbackOfAnAliasNeverSetOrSetOnceIsRefused() {
    registerThree();
    assertThatThrownBy(() -> registry.rollback("recs", "champion", null))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("never set");
    registry.setAlias("recs", "champion", 2, null);
    assertThatThrownBy(() -> registry.rollback("recs", "champion", null))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void invalidNamesAreRefused() {
    assertThatThrownBy(() -> registry.register(bundle("Bad Name", "a")))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("`Bad Name`")
        .hasMessageContaining("lower-case");
    assertThatThrownBy(() -> registry.register(bundle("9lives", "a")))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("`9lives`");
    registerThree();
    assertThatThrownBy(() -> registry.setAlias("recs", "Champion!", 1, null))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("alias `Champion!`");
    assertThatThrownBy(() -> registry.rollback("recs", "../x", null))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("alias `../x`");
    assertThatThrownBy(() -> registry.setAlias("../outside", "champion", 1, null))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("`../outside`");
    assertThat(temp.resolve("outside")).doesNotExist();
    assertThat(registry.models()).containsExactly("recs");
  }

  @Test
  void unknownModelAndVersionMessagesListWhatExists() {
    assertThatThrownBy(() -> registry.version("recs", 1))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("no model `recs`")
        .hasMessageContaining("empty");
    registerThree();
    registry.register(bundle("ranker", "x"));

    assertThatThrownBy(() -> registry.version("recs", 9))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("`recs` has no version 9")
        .hasMessageContaining("[1, 2, 3]");
    assertThatThrownBy(() -> registry.version("rec", 1))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("no model `rec`")
        .hasMessageContaining("[ranker, recs]");
    assertThatThrownBy(() -> registry.setAlias("recs", "champion", 4, null))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("[1, 2, 3]");
    assertThat(registry.aliases("recs")).isEmpty();
  }

  @Test
  void aliasOnAnUnknownModelIsRefusedWithoutCreatingIt() {
    registerThree();
    assertThatThrownBy(() -> registry.setAlias("typo", "champion", 1, null))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("no model `typo`")
        .hasMessageContaining("[recs]");
    assertThatThrownBy(() -> registry.rollback("typo", "champion", null))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("no model `typo`");
    assertThat(registry.models()).containsExactly("recs");
    assertThat(registry.root().resolve("typo")).doesNotExist();
  }

  @Test
  void concurrentRegistrationsGetDistinctVersionsAndLeaveNoPartialDirectories() throws Exception {
    int threads = 4;
    int perThread = 3;
    List<ModelBundle> sources = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      sources.add(bundle("recs", "thread" + t));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<Integer>>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        ModelBundle source = sources.get(t);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Integer> got = new ArrayList<>();
                  for (int n = 0; n < perThread; n++) {
                    got.add(registry.register(source).version());
                  }
                  return got;
                }));
      }
      start.countDown();
      List<Integer> all = new ArrayList<>();
      for (Future<List<Integer>> future : futures) {
        all.addAll(future.get(60, TimeUnit.SECONDS));
      }
      assertThat(all)
          .hasSize(threads * perThread)
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.IntStream.rangeClosed(1, threads * perThread).boxed().toList());
    } finally {
      pool.shutdownNow();
    }

    try (Stream<Path> children = Files.list(registry.root().resolve("recs/versions"))) {
      assertThat(children.map(p -> p.getFileName().toString()))
          .hasSize(threads * perThread)
          .allMatch(name -> name.matches("[1-9][0-9]*"));
    }
    for (ModelVersion version : registry.versions("recs")) {
      ModelBundle opened = registry.open(version);
      assertThat(opened.manifest().version()).isEqualTo(version.version());
      assertThat(opened.file("als/payload.bin"))
          .hasContent(opened.manifest().lineage().get("payload"));
    }
    assertThat(registry.history("recs"))
        .hasSize(threads * perThread)
        .allMatch(e -> e.event().equals(RegistryEvent.REGISTER));
  }

  @Test
  void leftoverStagingDirectoryIsNeitherListedNorBlocking() throws Exception {
    registry.register(bundle("recs", "a"));
    Path leftover =
        Files.createDirectories(registry.root().resolve("recs/versions/.2.incoming/als"));
    Files.writeString(leftover.resolve("junk.bin"), "half copied");

    assertThat(registry.versions("recs")).extracting(ModelVersion::version).containsExactly(1);
    assertThat(registry.register(bundle("recs", "b")).version()).isEqualTo(2);
    assertThat(registry.root().resolve("recs/versions/.2.incoming")).doesNotExist();
    assertThat(registry.root().resolve("recs/versions/2/als/junk.bin")).doesNotExist();
  }

  @Test
  void historySurvivesANewRegistryInstance() {
    registerThree();
    registry.setAlias("recs", "champion", 2, "why");
    LocalModelRegistry reopened =
        new LocalModelRegistry(registry.root(), Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));

    assertThat(reopened.alias("recs", "champion"))
        .get()
        .extracting(ModelVersion::version)
        .isEqualTo(2);
    assertThat(reopened.version("recs", 2).registeredAt()).isEqualTo(NOW.toString());
    assertThat(reopened.register(bundle("recs", "d")).registeredAt())
        .isEqualTo(NOW.plusSeconds(60).toString());
  }
}
