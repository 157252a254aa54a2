package dev.lakerank.streaming.cli;

import dev.lakerank.jobs.cli.CommandExtension;
import java.util.List;

/** The streaming module's commands: {@code stream}, {@code kafka} and {@code produce}. */
public final class StreamingCommands implements CommandExtension {
  @Override
  public List<Object> commands() {
    return List.of(new StreamCommand(), new KafkaCommand(), new ProduceCommand());
  }
}
