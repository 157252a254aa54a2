package dev.lakerank.featurestore;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * From the bottom: the definitions; Feast's byte formats; the online stores; {@code registry.db};
 * online retrieval (registry and store together); the gRPC server. {@link FeatureStoreLocation}, in
 * the root package, opens them as configured.
 */
@AnalyzeClasses(
    packages = "dev.lakerank.featurestore",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.lakerank.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Definition")
          .definedBy("dev.lakerank.featurestore.definition..")
          .layer("Format")
          .definedBy("dev.lakerank.featurestore.format..")
          .layer("Online")
          .definedBy("dev.lakerank.featurestore.online..")
          .layer("Registry")
          .definedBy("dev.lakerank.featurestore.registry..")
          .layer("Retrieval")
          .definedBy("dev.lakerank.featurestore.retrieval..")
          .layer("Serving")
          .definedBy("dev.lakerank.featurestore.serving..")
          .layer("Location")
          .definedBy("dev.lakerank.featurestore")
          .whereLayer("Definition")
          .mayNotAccessAnyLayer()
          .whereLayer("Format")
          .mayOnlyAccessLayers("Definition")
          .whereLayer("Online")
          .mayOnlyAccessLayers("Definition", "Format")
          .whereLayer("Registry")
          .mayOnlyAccessLayers("Definition", "Format", "Online")
          .whereLayer("Retrieval")
          .mayOnlyAccessLayers("Definition", "Format", "Online", "Registry")
          .whereLayer("Serving")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Location")
          .mayNotBeAccessedByAnyLayer();
}
