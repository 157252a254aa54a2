package dev.lakerank.jobs.spark;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Keeps Spark, Hadoop and Delta quiet unless asked: warnings only by default, INFO with --verbose.
 */
public final class LogLevels {
  private LogLevels() {}

  /** Sets the levels; call before the SparkSession is built. */
  public static void apply(boolean verbose) {
    Configurator.setRootLevel(verbose ? Level.INFO : Level.WARN);
    if (!verbose) {
      // Harmless on every machine without native Hadoop; it would print on every run.
      Configurator.setLevel("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
      // Warns that the host name resolves to loopback, which is what local mode wants.
      Configurator.setLevel("org.apache.spark.util.Utils", Level.ERROR);
      Configurator.setLevel("org.apache.spark.util.SparkStringUtils", Level.ERROR);
      // Delta's MERGE checkpoints its source locally; Spark warns when it is unpersisted
      Configurator.setLevel("org.apache.spark.rdd.MapPartitionsRDD", Level.ERROR);
      // MLlib says it falls back from native BLAS and LAPACK (none here; the Java ones are used)
      Configurator.setLevel("dev.ludovic.netlib", Level.ERROR);
    }
  }
}
