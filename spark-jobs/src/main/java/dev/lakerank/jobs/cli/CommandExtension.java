package dev.lakerank.jobs.cli;

import java.util.List;
import java.util.Map;

/**
 * Commands another module adds to {@code lakerank}: the streaming module's {@code stream}, {@code
 * kafka} and {@code produce}. Implementations are found with {@link java.util.ServiceLoader}, so a
 * module joins the CLI by being on the classpath with a {@code
 * META-INF/services/dev.lakerank.jobs.cli.CommandExtension} file naming its class.
 *
 * <p>Each command is a picocli {@code @Command} object; one that runs with the configuration and
 * Spark extends {@link LakerankSubcommand}.
 */
public interface CommandExtension {
  /** The command objects, in the order {@code lakerank --help} lists them. */
  List<Object> commands();

  /**
   * Subcommands for commands of other modules, by the name of the command they join: the demo
   * module's {@code demo} under {@code stream}. Extensions are read in classpath order; a parent
   * that no extension provides is an error.
   */
  default Map<String, List<Object>> subcommands() {
    return Map.of();
  }
}
