package dev.lakerank.demo;

import dev.lakerank.jobs.cli.CommandExtension;
import java.util.List;
import java.util.Map;

/**
 * The demo module's commands: {@code benchmark} and {@code stream demo}. They join the CLI when
 * this module is on the classpath (the jobs jar holds it), and ship apart from the production
 * classes.
 */
public final class DemoCommands implements CommandExtension {
  @Override
  public List<Object> commands() {
    return List.of(new BenchmarkCommand());
  }

  @Override
  public Map<String, List<Object>> subcommands() {
    return Map.of("stream", List.of(new StreamDemoCommand()));
  }
}
