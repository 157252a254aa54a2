package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every table whose schema is fixed, for listings and for checks against the feature definitions.
 */
public final class TableCatalog {
  private TableCatalog() {}

  /**
   * The definitions, bronze to ops. The training set is left out: its columns follow the feature
   * service.
   */
  public static List<TableDefinition> definitions() {
    List<TableDefinition> definitions = new ArrayList<>();
    for (BronzeTable bronze : BronzeTable.values()) {
      definitions.add(bronze.definition());
    }
    for (BronzeTable bronze : BronzeTable.values()) {
      definitions.add(QuarantineTable.definition(bronze));
    }
    definitions.addAll(
        List.of(
            SilverInteractions.DEFINITION,
            SilverUsers.DEFINITION,
            SilverItems.DEFINITION,
            UserActivityFeatures.DEFINITION,
            ItemPopularityFeatures.DEFINITION,
            ItemProfileFeatures.DEFINITION,
            UserRealtimeFeatures.DEFINITION,
            ItemRealtimeFeatures.DEFINITION,
            LogQuarantine.DEFINITION,
            TransformRuns.DEFINITION,
            PipelineSteps.DEFINITION,
            StreamBatches.DEFINITION,
            TrainingRuns.DEFINITION,
            PredictionLog.DEFINITION,
            FeedbackLog.DEFINITION,
            BatchRecommendations.DEFINITION));
    return definitions;
  }

  /** The definition of {@code name}, if its schema is fixed. */
  public static Optional<TableDefinition> find(TableName name) {
    return definitions().stream().filter(d -> d.name().equals(name)).findFirst();
  }
}
