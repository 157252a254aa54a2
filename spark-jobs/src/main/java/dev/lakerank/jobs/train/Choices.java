package dev.lakerank.jobs.train;

import dev.lakerank.jobs.JobErrors;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Command-line choices that are enum constants, named in lower case. */
public final class Choices {
  private Choices() {}

  /** The constant named {@code text} (any case), or an error listing the choices. */
  public static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(text)) {
        return constant;
      }
    }
    throw JobErrors.invalidInput(
        "unknown "
            + what
            + " `"
            + text
            + "`; use "
            + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
  }
}
