package dev.lakerank.streaming;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.lakerank.contract.errors.ErrorCategory;
import dev.lakerank.jobs.LakerankException;

/**
 * The CLI at the edge, running queries through the supervisor; the streaming jobs (ingest,
 * features, logs, produce) on the Kafka clients and the shared micro-batch machinery ({@code
 * internal}); no job reaches up to the CLI.
 */
@AnalyzeClasses(
    packages = "dev.lakerank.streaming",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.lakerank.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Cli")
          .definedBy("dev.lakerank.streaming.cli..")
          .layer("Supervisor")
          .definedBy("dev.lakerank.streaming.supervise..")
          .layer("Jobs")
          .definedBy(
              "dev.lakerank.streaming.ingest..",
              "dev.lakerank.streaming.features..",
              "dev.lakerank.streaming.logs..",
              "dev.lakerank.streaming.produce..")
          .layer("Kafka")
          .definedBy("dev.lakerank.streaming.kafka..", "dev.lakerank.streaming.internal..")
          .whereLayer("Cli")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Supervisor")
          .mayOnlyBeAccessedByLayers("Cli")
          .whereLayer("Jobs")
          .mayOnlyBeAccessedByLayers("Cli", "Jobs")
          .whereLayer("Kafka")
          .mayOnlyBeAccessedByLayers("Cli", "Supervisor", "Jobs", "Kafka");

  @ArchTest
  static final ArchRule userFacingErrorsAreMadeInOnePlace =
      noClasses()
          .should()
          .callConstructor(
              LakerankException.class, ErrorCategory.class, String.class, Throwable.class)
          .because("the streaming jobs' user-facing errors are made by StreamingErrors");
}
