package dev.lakerank.model.als;

import dev.lakerank.model.bundle.BundleErrors;
import dev.lakerank.model.bundle.BundleWriter;
import dev.lakerank.model.bundle.ModelBundle;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The items each user interacted with in the data a recommender was trained on, so serving can
 * leave them out of the user's candidates as batch scoring does. Stored in a bundle as {@code
 * als/seen.bin}, little-endian:
 *
 * <pre>
 * bytes 0-3          "LRS1"
 * int32              users
 * int64              pairs
 * int64[users]       user ids, ascending
 * int64[users + 1]   offsets into the items (user i owns items[offsets[i] .. offsets[i+1]))
 * int64[pairs]       item ids, ascending within each user
 * </pre>
 *
 * Instances are immutable and thread-safe; a lookup is two binary searches.
 */
public final class SeenItems {
  public static final String FILE = "als/seen.bin";
  private static final byte[] MAGIC = {'L', 'R', 'S', '1'};
  private static final SeenItems NONE = new SeenItems(new long[0], new long[] {0}, new long[0]);

  private final long[] users;
  private final long[] offsets;
  private final long[] items;

  private SeenItems(long[] users, long[] offsets, long[] items) {
    this.users = users;
    this.offsets = offsets;
    this.items = items;
  }

  /** No user has seen anything (a bundle written before seen items were exported). */
  public static SeenItems none() {
    return NONE;
  }

  /**
   * From (user, item) pairs in any order; duplicates are kept once.
   *
   * @param userIds the user of each pair
   * @param itemIds the item of each pair, same length
   */
  public static SeenItems of(long[] userIds, long[] itemIds) {
    if (userIds.length != itemIds.length) {
      throw new IllegalArgumentException(
          userIds.length + " users but " + itemIds.length + " items");
    }
    Integer[] order = new Integer[userIds.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) ->
            userIds[a] != userIds[b]
                ? Long.compare(userIds[a], userIds[b])
                : Long.compare(itemIds[a], itemIds[b]));
    long[] users = new long[order.length];
    long[] offsets = new long[order.length + 1];
    long[] items = new long[order.length];
    int u = 0;
    int n = 0;
    for (int i = 0; i < order.length; i++) {
      long user = userIds[order[i]];
      long item = itemIds[order[i]];
      boolean newUser = u == 0 || users[u - 1] != user;
      if (newUser) {
        users[u] = user;
        offsets[u] = n;
        u++;
      } else if (items[n - 1] == item) {
        continue;
      }
      items[n++] = item;
    }
    long[] finalOffsets = Arrays.copyOf(offsets, u + 1);
    finalOffsets[u] = n;
    return new SeenItems(Arrays.copyOf(users, u), finalOffsets, Arrays.copyOf(items, n));
  }

  /** The number of users with at least one item. */
  public int users() {
    return users.length;
  }

  /** The number of distinct (user, item) pairs. */
  public long pairs() {
    return items.length;
  }

  /** Whether the user interacted with the item. */
  public boolean contains(long userId, long itemId) {
    int u = Arrays.binarySearch(users, userId);
    return u >= 0
        && Arrays.binarySearch(items, (int) offsets[u], (int) offsets[u + 1], itemId) >= 0;
  }

  /** The user's items, ascending (empty for an unknown user). */
  public long[] of(long userId) {
    int u = Arrays.binarySearch(users, userId);
    return u < 0 ? new long[0] : Arrays.copyOfRange(items, (int) offsets[u], (int) offsets[u + 1]);
  }

  /** The bundle's seen items, or {@link #none()} when it was exported without them. */
  public static SeenItems load(ModelBundle bundle) {
    return bundle.manifest().files().containsKey(FILE) ? read(bundle.file(FILE)) : none();
  }

  /** Adds {@code als/seen.bin} to a bundle being written. */
  public void write(BundleWriter writer) {
    try {
      write(writer.pathOf(FILE));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot write seen items into " + writer.directory(), e);
    }
    writer.added(FILE);
  }

  public void write(Path file) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
      ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      out.write(MAGIC);
      out.writeInt(Integer.reverseBytes(users.length));
      out.writeLong(Long.reverseBytes(items.length));
      for (long[] section : new long[][] {users, offsets, items}) {
        for (long value : section) {
          buffer.clear();
          out.write(buffer.putLong(value).array());
        }
      }
    }
  }

  public static SeenItems read(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 16) {
        throw BundleErrors.invalid(
            file + " is too short for a seen-items file (" + size + " bytes); re-export the model");
      }
      ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, header);
      header.flip();
      byte[] magic = new byte[4];
      header.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw BundleErrors.invalid(
            file
                + " is not a seen-items file (magic "
                + Arrays.toString(magic)
                + "); re-export the model");
      }
      int userCount = header.getInt();
      long pairCount = header.getLong();
      long expected = 16 + 8L * (2L * userCount + 1 + pairCount);
      if (userCount < 0 || pairCount < 0 || pairCount > Integer.MAX_VALUE || size != expected) {
        throw BundleErrors.invalid(
            file
                + " holds "
                + size
                + " bytes but its header ("
                + userCount
                + " users, "
                + pairCount
                + " pairs) needs "
                + expected
                + "; re-export the model");
      }
      ByteBuffer body = ByteBuffer.allocate((int) (size - 16)).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, body);
      body.flip();
      long[] users = new long[userCount];
      long[] offsets = new long[userCount + 1];
      long[] items = new long[(int) pairCount];
      body.asLongBuffer().get(users).get(offsets).get(items);
      if (offsets[0] != 0 || offsets[userCount] != pairCount) {
        throw BundleErrors.invalid(
            file
                + " has offsets that do not cover its "
                + pairCount
                + " pairs; re-export the model");
      }
      return new SeenItems(users, offsets, items);
    } catch (IOException e) {
      throw BundleErrors.invalid("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }
}
