package dev.lakerank.jobs.cli;

import dev.lakerank.contract.errors.CategorizedException;
import dev.lakerank.contract.errors.ErrorCategory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;

/** {@code lakerank}: the command-line tool. */
@Command(
    name = "lakerank",
    mixinStandardHelpOptions = true,
    versionProvider = LakerankCommand.Version.class,
    description = "Recommendation and ranking on Apache Spark and Delta Lake.",
    footer = {
      "",
      "Settings come from lakerank.yaml, LAKERANK_* variables and flags; `lakerank config` lists them.",
      "Run `lakerank <command> --help` for a command's options."
    },
    subcommands = {
      GenerateCommand.class,
      IngestCommand.class,
      TransformCommand.class,
      FeaturesCommand.class,
      TrainCommand.class,
      ModelsCommand.class,
      ReportCommand.class,
      BatchScoreCommand.class,
      SqlCommand.class,
      TablesCommand.class,
      MaintainCommand.class,
      PipelineCommand.class,
      DemoCommand.class,
      ConfigCommand.class
    })
public final class LakerankCommand implements Runnable {
  /** Exit code of a problem the user can fix (the message says how). */
  public static final int USER_ERROR = 1;

  /** Exit code of a bug: an unexpected exception. */
  public static final int INTERNAL_ERROR = 70;

  private final CliEnvironment environment;

  @Mixin GlobalOptions global = new GlobalOptions();

  @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public LakerankCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  /** Runs {@code args} and returns the exit code. */
  public static int run(CliEnvironment environment, String... args) {
    CommandLine commandLine = new CommandLine(new LakerankCommand(environment));
    List<CommandExtension> extensions = new ArrayList<>();
    ServiceLoader.load(CommandExtension.class).forEach(extensions::add);
    for (CommandExtension extension : extensions) {
      extension.commands().forEach(commandLine::addSubcommand);
    }
    for (CommandExtension extension : extensions) {
      extension
          .subcommands()
          .forEach(
              (parent, commands) -> {
                CommandLine command = commandLine.getSubcommands().get(parent);
                if (command == null) {
                  throw new IllegalStateException(
                      extension.getClass().getName()
                          + " adds to command `"
                          + parent
                          + "`, which no module provides");
                }
                commands.forEach(command::addSubcommand);
              });
    }
    commandLine.addSubcommand(new CommandLine.HelpCommand());
    commandLine.setOut(new java.io.PrintWriter(environment.out(), true));
    commandLine.setErr(new java.io.PrintWriter(environment.err(), true));
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parsed) -> {
          CategorizedException userError = userError(exception);
          if (userError != null) {
            environment.err().println("error: " + userError.getMessage());
            return exitCode(userError.category());
          }
          environment
              .err()
              .println("internal error (a bug in lakerank; please report it with this trace):");
          exception.printStackTrace(environment.err());
          return INTERNAL_ERROR;
        });
    return commandLine.execute(args);
  }

  /** The first user-facing error in the cause chain: any module's {@link CategorizedException}. */
  private static CategorizedException userError(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof CategorizedException error) {
        return error;
      }
    }
    return null;
  }

  /**
   * The exit code of a user-facing error: {@link #USER_ERROR} for every category, so scripts tell a
   * problem to fix from a bug ({@link #INTERNAL_ERROR}); the message says which and what to do.
   */
  static int exitCode(ErrorCategory category) {
    return switch (category) {
      case INVALID_INPUT,
          NOT_FOUND,
          CONFLICT,
          CONFIGURATION,
          UNAUTHENTICATED,
          PERMISSION_DENIED,
          UNAVAILABLE ->
          USER_ERROR;
    };
  }

  CommandContext context(Map<String, String> commandOverrides) {
    Map<String, String> overrides = global.overrides();
    overrides.putAll(commandOverrides);
    return new CommandContext(
        environment, Optional.ofNullable(global.config), global.verbose, overrides);
  }

  CliEnvironment environment() {
    return environment;
  }

  @Override
  public void run() {
    spec.commandLine().usage(environment.out());
  }

  /** The version from the jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = LakerankCommand.class.getPackage().getImplementationVersion();
      return new String[] {
        "lakerank "
            + (version == null ? "(development build)" : version)
            + ", Spark "
            + org.apache.spark.package$.MODULE$.SPARK_VERSION()
      };
    }
  }
}
