package dev.lakerank.model.registry;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The registry interface and the local registry know nothing of MLflow; the MLflow registry
 * implements them.
 */
@AnalyzeClasses(
    packages = "dev.lakerank.model.registry",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.lakerank.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Registry")
          .definedBy("dev.lakerank.model.registry")
          .layer("Mlflow")
          .definedBy("dev.lakerank.model.registry.mlflow..")
          .whereLayer("Registry")
          .mayNotAccessAnyLayer()
          .whereLayer("Mlflow")
          .mayNotBeAccessedByAnyLayer();
}
