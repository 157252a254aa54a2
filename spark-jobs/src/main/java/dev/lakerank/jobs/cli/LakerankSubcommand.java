package dev.lakerank.jobs.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that runs with a {@link CommandContext}: the configuration read once, with this
 * command's own flags on top, and Spark started when first needed.
 */
public abstract class LakerankSubcommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Settings this command's own flags set. */
  protected Map<String, String> overrides() {
    return new LinkedHashMap<>();
  }

  /** Runs the command; returns the exit code. */
  protected abstract int run(CommandContext context) throws Exception;

  @Override
  public Integer call() throws Exception {
    LakerankCommand root = (LakerankCommand) spec.root().userObject();
    try (CommandContext context = root.context(overrides())) {
      return run(context);
    }
  }
}
