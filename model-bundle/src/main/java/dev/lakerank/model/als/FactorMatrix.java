package dev.lakerank.model.als;

import dev.lakerank.model.bundle.BundleErrors;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Factors of one side (users or items), as stored in a bundle. The file is little-endian and
 * fixed-layout so it can be memory-mapped:
 *
 * <pre>
 * bytes 0-3   "LRF1"
 * int32       rank
 * int32       count
 * int64[count]          ids
 * float32[count * rank] factors, row-major (row i belongs to ids[i])
 * </pre>
 */
public final class FactorMatrix {
  private static final byte[] MAGIC = {'L', 'R', 'F', '1'};
  private static final int HEADER = 12;

  private final int rank;
  private final long[] ids;
  private final float[] values;
  private final Map<Long, Integer> rows;

  public FactorMatrix(int rank, long[] ids, float[] values) {
    if (rank <= 0 || values.length != (long) ids.length * rank) {
      throw new IllegalArgumentException(
          "factor matrix of rank "
              + rank
              + " needs "
              + ids.length
              + " x "
              + rank
              + " values, got "
              + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(
            "factor of id "
                + ids[i / rank]
                + " holds "
                + values[i]
                + " at position "
                + (i % rank)
                + "; the model diverged, train it again (lower the rank or raise regParam)");
      }
    }
    this.rank = rank;
    this.ids = ids;
    this.values = values;
    this.rows = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      if (rows.put(ids[i], i) != null) {
        throw new IllegalArgumentException("factor matrix holds id " + ids[i] + " twice");
      }
    }
  }

  public int rank() {
    return rank;
  }

  public int size() {
    return ids.length;
  }

  public long id(int row) {
    return ids[row];
  }

  /** The row of an id, or -1. */
  public int row(long id) {
    Integer row = rows.get(id);
    return row == null ? -1 : row;
  }

  /** The backing row-major values (not a copy: do not modify). */
  float[] values() {
    return values;
  }

  /** A copy of one row's factors. */
  public float[] factors(int row) {
    float[] copy = new float[rank];
    System.arraycopy(values, row * rank, copy, 0, rank);
    return copy;
  }

  public void write(Path file) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
    header.put(MAGIC).putInt(rank).putInt(ids.length);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header.array());
      ByteBuffer body = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
      for (long id : ids) {
        if (body.remaining() < Long.BYTES) {
          flush(body, out);
        }
        body.putLong(id);
      }
      for (float value : values) {
        if (body.remaining() < Float.BYTES) {
          flush(body, out);
        }
        body.putFloat(value);
      }
      flush(body, out);
    }
  }

  private static void flush(ByteBuffer buffer, OutputStream out) throws IOException {
    out.write(buffer.array(), 0, buffer.position());
    buffer.clear();
  }

  /** Maps the file and copies it onto the heap (the top-K loop reads arrays fastest). */
  public static FactorMatrix read(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < HEADER) {
        throw BundleErrors.invalid(
            "factor file "
                + file
                + " is truncated ("
                + size
                + " bytes, the header alone is "
                + HEADER
                + ")");
      }
      MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      mapped.order(ByteOrder.LITTLE_ENDIAN);
      byte[] magic = new byte[4];
      mapped.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw BundleErrors.invalid(
            "factor file "
                + file
                + " does not start with \"LRF1\"; it is not a Lakerank factor file");
      }
      int rank = mapped.getInt();
      int count = mapped.getInt();
      long expected = HEADER + (long) count * Long.BYTES + (long) count * rank * Float.BYTES;
      if (rank <= 0 || count < 0 || expected != size) {
        throw BundleErrors.invalid(
            "factor file "
                + file
                + " has "
                + size
                + " bytes; its header (rank "
                + rank
                + ", "
                + count
                + " rows) needs "
                + expected);
      }
      long[] ids = new long[count];
      mapped.asLongBuffer().get(ids);
      mapped.position(HEADER + count * Long.BYTES);
      float[] values = new float[count * rank];
      mapped.asFloatBuffer().get(values);
      return new FactorMatrix(rank, ids, values);
    } catch (IllegalArgumentException e) {
      throw BundleErrors.invalid("factor file " + file + " is not usable: " + e.getMessage(), e);
    } catch (IOException e) {
      throw BundleErrors.invalid("cannot read factor file " + file + ": " + e.getMessage(), e);
    }
  }
}
