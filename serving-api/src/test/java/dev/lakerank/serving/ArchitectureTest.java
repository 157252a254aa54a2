package dev.lakerank.serving;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The HTTP layer ({@code api}: controllers, request and response bodies) on the ranking service,
 * which uses the loaded models, the feature sources and the prediction log; none of those sees the
 * HTTP layer, and the services answer with their own records.
 */
@AnalyzeClasses(
    packages = "dev.lakerank.serving",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.lakerank.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Api")
          .definedBy("dev.lakerank.serving.api..")
          .layer("Ranking")
          .definedBy("dev.lakerank.serving.ranking..")
          .layer("Models")
          .definedBy("dev.lakerank.serving.models..")
          .layer("Features")
          .definedBy("dev.lakerank.serving.features..")
          .layer("Log")
          .definedBy("dev.lakerank.serving.log..")
          .layer("Errors")
          .definedBy("dev.lakerank.serving.errors..")
          .layer("Configuration")
          .definedBy("dev.lakerank.serving.config..")
          .whereLayer("Api")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Ranking")
          .mayOnlyBeAccessedByLayers("Api")
          .whereLayer("Models")
          .mayOnlyBeAccessedByLayers("Api", "Ranking")
          .whereLayer("Features")
          .mayOnlyBeAccessedByLayers("Api", "Ranking", "Models")
          .whereLayer("Log")
          .mayOnlyBeAccessedByLayers("Api", "Ranking")
          .whereLayer("Errors")
          .mayNotAccessAnyLayer()
          .whereLayer("Configuration")
          .mayNotAccessAnyLayer();
}
