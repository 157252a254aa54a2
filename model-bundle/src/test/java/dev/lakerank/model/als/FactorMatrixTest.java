package dev.lakerank.model.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakerank.model.bundle.BundleException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FactorMatrixTest {
  @TempDir Path dir;

  private static int[] bits(float[] values) {
    return java.util.stream.IntStream.range(0, values.length)
        .map(i -> Float.floatToRawIntBits(values[i]))
        .toArray();
  }

  @Test
  void writeThenReadIsBitExact() throws Exception {
    Random random = new Random(7);
    int rank = 5;
    // more than one 8 KiB write buffer, so buffer flushing is exercised
    int count = 1_001;
    long[] ids = new long[count];
    float[] values = new float[count * rank];
    for (int i = 0; i < count; i++) {
      ids[i] = i * 1_000_003L - 500_000L + (i == 3 ? Long.MAX_VALUE / 2 : 0);
    }
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    values[0] = -0.0f;
    values[1] = Float.MIN_VALUE;
    values[2] = Float.MAX_VALUE;
    values[3] = -Float.MIN_NORMAL;
    values[4] = 1.0f / 3.0f;
    FactorMatrix original = new FactorMatrix(rank, ids, values);
    Path file = dir.resolve("f.bin");
    original.write(file);

    assertThat(Files.size(file)).isEqualTo(12L + 8L * count + 4L * count * rank);
    FactorMatrix read = FactorMatrix.read(file);
    assertThat(read.rank()).isEqualTo(rank);
    assertThat(read.size()).isEqualTo(count);
    for (int i = 0; i < count; i++) {
      assertThat(read.id(i)).isEqualTo(ids[i]);
      assertThat(read.row(ids[i])).isEqualTo(i);
    }
    assertThat(bits(read.values())).containsExactly(bits(values));
    for (float value : read.values()) {
      assertThat(value).isNotNaN();
    }
    assertThat(Float.floatToRawIntBits(read.factors(0)[0]))
        .isEqualTo(Float.floatToRawIntBits(-0.0f));
    assertThat(read.row(123_456_789L)).isEqualTo(-1);
  }

  @Test
  void fileLayoutIsTheDocumentedLittleEndianOne() throws Exception {
    FactorMatrix matrix =
        new FactorMatrix(2, new long[] {0x0102030405060708L}, new float[] {1.5f, -2.0f});
    Path file = dir.resolve("f.bin");
    matrix.write(file);

    ByteBuffer expected = ByteBuffer.allocate(12 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
    expected
        .put(new byte[] {'L', 'R', 'F', '1'})
        .putInt(2)
        .putInt(1)
        .putLong(0x0102030405060708L)
        .putFloat(1.5f)
        .putFloat(-2.0f);
    assertThat(Files.readAllBytes(file)).containsExactly(expected.array());
  }

  @Test
  void emptyMatrixRoundTrips() throws Exception {
    Path file = dir.resolve("empty.bin");
    new FactorMatrix(3, new long[0], new float[0]).write(file);
    FactorMatrix read = FactorMatrix.read(file);
    assertThat(read.size()).isZero();
    assertThat(read.rank()).isEqualTo(3);
  }

  @Test
  void truncatedBodyIsRefusedNamingTheFile() throws Exception {
    Path file = dir.resolve("users.bin");
    new FactorMatrix(2, new long[] {1, 2}, new float[] {1, 2, 3, 4}).write(file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));

    assertThatThrownBy(() -> FactorMatrix.read(file))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("rank 2")
        .hasMessageContaining("needs " + bytes.length);
  }

  @Test
  void truncatedHeaderIsRefusedNamingTheFile() throws Exception {
    Path file = dir.resolve("users.bin");
    Files.write(file, new byte[] {'L', 'R', 'F', '1', 2, 0});
    assertThatThrownBy(() -> FactorMatrix.read(file))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void trailingBytesAreRefused() throws Exception {
    Path file = dir.resolve("items.bin");
    new FactorMatrix(1, new long[] {1}, new float[] {1}).write(file);
    Files.write(file, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> FactorMatrix.read(file))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void wrongMagicIsRefusedNamingTheFile() throws Exception {
    Path file = dir.resolve("items.bin");
    new FactorMatrix(1, new long[] {1}, new float[] {1}).write(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[3] = '2';
    Files.write(file, bytes);

    assertThatThrownBy(() -> FactorMatrix.read(file))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("LRF1");
  }

  @Test
  void missingFileIsRefusedNamingIt() {
    Path file = dir.resolve("absent.bin");
    assertThatThrownBy(() -> FactorMatrix.read(file))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void constructorRefusesInconsistentShapesAndDuplicateIds() {
    assertThatThrownBy(() -> new FactorMatrix(2, new long[] {1, 2}, new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 x 2");
    assertThatThrownBy(() -> new FactorMatrix(0, new long[0], new float[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FactorMatrix(1, new long[] {5, 5}, new float[2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id 5 twice");
  }
}
