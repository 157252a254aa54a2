package dev.lakerank.jobs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.lakerank.contract.errors.ErrorCategory;

/**
 * The CLI at the edge; the pipeline on the jobs; the jobs (one package per stage) on the
 * foundation: the table catalog and the table owners, the Spark session, the configuration, and the
 * root package's errors and reporter. A job never reaches up to the pipeline or the CLI, and the
 * table owners never reach into a job.
 */
@AnalyzeClasses(
    packages = "dev.lakerank.jobs",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String[] JOBS = {
    "dev.lakerank.jobs.ingest..",
    "dev.lakerank.jobs.validate..",
    "dev.lakerank.jobs.transform..",
    "dev.lakerank.jobs.generate..",
    "dev.lakerank.jobs.features..",
    "dev.lakerank.jobs.export..",
    "dev.lakerank.jobs.train..",
    "dev.lakerank.jobs.maintain..",
    "dev.lakerank.jobs.query.."
  };

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.lakerank.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Cli")
          .definedBy("dev.lakerank.jobs.cli..")
          .layer("Pipeline")
          .definedBy("dev.lakerank.jobs.pipeline..")
          .layer("Jobs")
          .definedBy(JOBS)
          .layer("Configuration")
          .definedBy("dev.lakerank.jobs.config..")
          .layer("Tables")
          .definedBy(
              "dev.lakerank.jobs",
              "dev.lakerank.jobs.catalog..",
              "dev.lakerank.jobs.tables..",
              "dev.lakerank.jobs.spark..")
          .whereLayer("Cli")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Pipeline")
          .mayOnlyBeAccessedByLayers("Cli")
          .whereLayer("Jobs")
          .mayOnlyBeAccessedByLayers("Cli", "Pipeline", "Configuration")
          .whereLayer("Configuration")
          .mayOnlyBeAccessedByLayers("Cli", "Pipeline", "Tables")
          .whereLayer("Tables")
          .mayOnlyAccessLayers("Configuration");

  @ArchTest
  static final ArchRule userFacingErrorsAreMadeInOnePlace =
      noClasses()
          .that()
          .doNotHaveSimpleName("JobErrors")
          .should()
          .callConstructor(
              LakerankException.class, ErrorCategory.class, String.class, Throwable.class)
          .because(
              "the jobs' user-facing errors are made by JobErrors, which gives each a category");
}
