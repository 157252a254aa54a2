package dev.lakerank.demo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.lakerank.contract.errors.ErrorCategory;
import dev.lakerank.jobs.LakerankException;

/** The demo module's errors come from one place, and it reaches no module's internals. */
@AnalyzeClasses(
    packages = "dev.lakerank.demo",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule userFacingErrorsAreMadeInOnePlace =
      noClasses()
          .should()
          .callConstructor(
              LakerankException.class, ErrorCategory.class, String.class, Throwable.class)
          .because("the demo's user-facing errors are made by DemoErrors");

  @ArchTest
  static final ArchRule noInternals =
      noClasses().should().dependOnClassesThat().resideInAPackage("..internal..");
}
