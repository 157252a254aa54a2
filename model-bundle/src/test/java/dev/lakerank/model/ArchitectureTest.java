package dev.lakerank.model;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The bundle format at the bottom, the two scorers on it and independent of each other. */
@AnalyzeClasses(
    packages = "dev.lakerank.model",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.lakerank.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Bundle")
          .definedBy("dev.lakerank.model.bundle..")
          .layer("Als")
          .definedBy("dev.lakerank.model.als..")
          .layer("Ranker")
          .definedBy("dev.lakerank.model.ranker..")
          .whereLayer("Bundle")
          .mayNotAccessAnyLayer()
          .whereLayer("Als")
          .mayOnlyAccessLayers("Bundle")
          .whereLayer("Ranker")
          .mayOnlyAccessLayers("Bundle");
}
