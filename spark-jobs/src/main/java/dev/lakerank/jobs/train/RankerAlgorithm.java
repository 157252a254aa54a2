package dev.lakerank.jobs.train;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.model.bundle.ModelKind;
import java.util.Arrays;
import java.util.Locale;

/** The ranker's classifier. */
public enum RankerAlgorithm {
  LR("lr", ModelKind.LOGISTIC_REGRESSION),
  GBT("gbt", ModelKind.GBT),
  FM("fm", ModelKind.FM);

  private final String value;
  private final ModelKind kind;

  RankerAlgorithm(String value, ModelKind kind) {
    this.value = value;
    this.kind = kind;
  }

  public String value() {
    return value;
  }

  public ModelKind kind() {
    return kind;
  }

  public static RankerAlgorithm parse(String text) {
    String wanted = text.toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(a -> a.value.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                JobErrors.invalidInput(
                    "unknown ranker algorithm `" + text + "`; use lr, gbt or fm"));
  }
}
