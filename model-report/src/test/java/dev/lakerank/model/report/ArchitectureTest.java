package dev.lakerank.model.report;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The report reads registered versions through the registry interface, never through MLflow. */
@AnalyzeClasses(
    packages = "dev.lakerank.model.report",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.lakerank.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule throughTheRegistryInterface =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.lakerank.model.registry.mlflow..", "org.mlflow..");
}
