package dev.lakerank.model.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakerank.model.bundle.BundleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeenItemsTest {
  @Test
  void answersExactlyThePairsGivenWhateverTheirOrderAndDuplicates(@TempDir Path dir)
      throws Exception {
    Random random = new Random(7);
    int n = 5_000;
    long[] users = new long[n];
    long[] items = new long[n];
    Set<String> pairs = new HashSet<>();
    for (int i = 0; i < n; i++) {
      users[i] = random.nextInt(300) - 20;
      items[i] = random.nextInt(200);
      pairs.add(users[i] + "/" + items[i]);
    }
    SeenItems seen = SeenItems.of(users, items);
    Path file = dir.resolve("seen.bin");
    seen.write(file);
    SeenItems read = SeenItems.read(file);
    assertThat(read.pairs()).isEqualTo(pairs.size());
    for (long user = -25; user < 290; user++) {
      for (long item = -1; item < 201; item++) {
        assertThat(read.contains(user, item))
            .as("%d/%d", user, item)
            .isEqualTo(pairs.contains(user + "/" + item));
      }
    }
    assertThat(read.of(users[0])).isSorted().contains(items[0]);
    assertThat(read.of(10_000)).isEmpty();
  }

  @Test
  void emptyAndNoneHoldNothing(@TempDir Path dir) throws Exception {
    SeenItems empty = SeenItems.of(new long[0], new long[0]);
    empty.write(dir.resolve("e.bin"));
    assertThat(SeenItems.read(dir.resolve("e.bin")).users()).isZero();
    assertThat(SeenItems.none().contains(1, 1)).isFalse();
  }

  @Test
  void refusesATruncatedOrForeignFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("seen.bin");
    SeenItems.of(new long[] {1, 1, 2}, new long[] {5, 6, 5}).write(file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 8));
    assertThatThrownBy(() -> SeenItems.read(file))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("re-export");
    bytes[0] = 'X';
    Files.write(file, bytes);
    assertThatThrownBy(() -> SeenItems.read(file))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("not a seen-items file");
  }
}
