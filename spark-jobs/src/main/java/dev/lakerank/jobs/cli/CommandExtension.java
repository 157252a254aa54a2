package dev.lakerank.jobs.cli;

import java.util.List;

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
}
