package dev.lakerank.jobs.cli;

/**
 * The entry point of {@code bin/lakerank} and of {@code spark-submit
 * assembly/target/lakerank-jobs.jar}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(LakerankCommand.run(CliEnvironment.system(), args));
  }
}
