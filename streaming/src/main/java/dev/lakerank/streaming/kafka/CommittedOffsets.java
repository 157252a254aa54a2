package dev.lakerank.streaming.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakerank.jobs.LakerankException;
import dev.lakerank.streaming.StreamingErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The Kafka offsets up to which a query has committed, read from its checkpoint without Spark: the
 * newest batch in {@code commits/}, and that batch's line of {@code offsets/<batch>} (Spark's
 * offset log: a version line, the batch's metadata, then one JSON line per source, {@code
 * {"topic":{"partition":offset}}}). The query has read every message before those offsets.
 */
public final class CommittedOffsets {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String checkpoint;
  private final String topic;
  private final Path root;
  private final FileSystem fs;

  /**
   * Reads the offsets of {@code topic} from the query checkpointed at {@code checkpoint}; the file
   * system is opened once, here, for every {@link #read}.
   *
   * @throws LakerankException when the checkpoint's file system cannot be opened
   */
  public CommittedOffsets(String checkpoint, String topic) {
    this.checkpoint = checkpoint;
    this.topic = topic;
    this.root = new Path(checkpoint);
    try {
      this.fs = root.getFileSystem(new Configuration());
    } catch (IOException e) {
      throw StreamingErrors.notFound(
          "cannot open the checkpoint " + checkpoint + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The next offset to read of each partition of the topic, as of the query's last committed batch;
   * empty when it has committed none.
   *
   * @throws LakerankException when the checkpoint cannot be read or its offset log is not Spark's
   */
  public Map<Integer, Long> read() {
    try {
      Path commits = new Path(root, "commits");
      if (!fs.exists(commits)) {
        return Map.of();
      }
      long newest = -1;
      for (FileStatus status : fs.listStatus(commits)) {
        String name = status.getPath().getName();
        if (status.isFile() && name.chars().allMatch(Character::isDigit)) {
          newest = Math.max(newest, Long.parseLong(name));
        }
      }
      if (newest < 0) {
        return Map.of();
      }
      Path offsets = new Path(new Path(root, "offsets"), Long.toString(newest));
      List<String> lines;
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(fs.open(offsets), StandardCharsets.UTF_8))) {
        lines = reader.lines().toList();
      }
      if (lines.size() < 3 || !lines.get(0).startsWith("v")) {
        throw StreamingErrors.invalidInput(
            offsets
                + " is not a Spark offset log (a version line, the batch's metadata, a line per "
                + "source); is "
                + checkpoint
                + " a streaming query's checkpoint?");
      }
      Map<Integer, Long> committed = new LinkedHashMap<>();
      for (String line : lines.subList(2, lines.size())) {
        if (!line.startsWith("{")) {
          continue; // "-": a source without an offset yet
        }
        for (Map.Entry<String, JsonNode> partition : JSON.readTree(line).path(topic).properties()) {
          committed.put(Integer.parseInt(partition.getKey()), partition.getValue().asLong());
        }
      }
      return committed;
    } catch (IOException e) {
      throw StreamingErrors.unavailable(
          "cannot read the checkpoint " + checkpoint + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * How many messages before {@code end} (a topic's end offsets) lie at or past {@code committed};
   * a partition not committed counts from offset 0.
   */
  public static long behind(Map<Integer, Long> end, Map<Integer, Long> committed) {
    long behind = 0;
    for (Map.Entry<Integer, Long> partition : end.entrySet()) {
      behind += Math.max(0, partition.getValue() - committed.getOrDefault(partition.getKey(), 0L));
    }
    return behind;
  }
}
