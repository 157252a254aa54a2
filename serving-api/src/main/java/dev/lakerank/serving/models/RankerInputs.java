package dev.lakerank.serving.models;

import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.model.ranker.Input;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each input of a ranker comes from at serving time, resolved once when the ranker loads: a
 * feature of the user's or the item's online views, the candidate's ALS score, the hour and day of
 * the request (UTC, as the training set computed them from the event time), or a context value the
 * caller sends (such as {@code device}). A value the caller sends under an input's name wins over
 * every source, so {@code /v1/predict} can give features explicitly.
 */
public final class RankerInputs {
  public static final String USER_ID = "user_id";
  public static final String ITEM_ID = "item_id";
  public static final String ALS_SCORE = "als_score";
  public static final String HOUR_OF_DAY = "hour_of_day";
  public static final String DAY_OF_WEEK = "day_of_week";

  /** A context key, not an input: the time the request is for (ISO-8601), default now. */
  public static final String TIMESTAMP = "timestamp";

  private enum Source {
    USER,
    ITEM,
    ALS,
    HOUR,
    DAY,
    CONTEXT
  }

  private final List<Input> inputs;
  private final String[] publicNames;
  private final Source[] sources;
  private final int[] slots;
  private final List<FeatureReference> userRefs = new ArrayList<>();
  private final List<FeatureReference> itemRefs = new ArrayList<>();

  /** Public input name to its position, in input order. */
  private final Map<String, Integer> positions = new LinkedHashMap<>();

  private RankerInputs(List<Input> inputs, Map<String, String> joinKeys) {
    this.inputs = List.copyOf(inputs);
    sources = new Source[inputs.size()];
    slots = new int[inputs.size()];
    publicNames = new String[inputs.size()];
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      String name = publicName(inputs.get(i).name(), joinKeys);
      publicNames[i] = name;
      positions.put(name, i);
      if (name.contains(":")) {
        FeatureReference ref = FeatureReference.parse(name);
        String key = joinKeys.get(ref.featureView());
        if (USER_ID.equals(key)) {
          sources[i] = Source.USER;
          slots[i] = userRefs.size();
          userRefs.add(ref);
        } else if (ITEM_ID.equals(key)) {
          sources[i] = Source.ITEM;
          slots[i] = itemRefs.size();
          itemRefs.add(ref);
        } else {
          problems.add(
              key == null
                  ? "input "
                      + name
                      + " names feature view "
                      + ref.featureView()
                      + ", which the online store does not serve "
                      + "(online views: "
                      + joinKeys.keySet()
                      + "); apply and materialize it, or retrain without it"
                  : "input "
                      + name
                      + " is keyed by "
                      + key
                      + "; serving joins features on user_id or item_id only");
        }
      } else if (name.equals(ALS_SCORE)) {
        sources[i] = Source.ALS;
      } else if (name.equals(HOUR_OF_DAY)) {
        sources[i] = Source.HOUR;
      } else if (name.equals(DAY_OF_WEEK)) {
        sources[i] = Source.DAY;
      } else if (name.indexOf("__") > 0) {
        problems.add(
            "input "
                + name
                + " is a feature of view "
                + name.substring(0, name.indexOf("__"))
                + ", which the online store does not serve (online views: "
                + joinKeys.keySet()
                + "); apply and materialize it, or retrain without it");
      } else {
        sources[i] = Source.CONTEXT;
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * The name callers and docs use: a training-set column {@code user_activity__ctr_7d} of an online
   * view is the feature reference {@code user_activity:ctr_7d}; other names stay as they are.
   */
  private static String publicName(String column, Map<String, String> joinKeys) {
    int at = column.indexOf("__");
    if (at > 0 && !column.contains(":") && joinKeys.containsKey(column.substring(0, at))) {
      return column.substring(0, at) + ":" + column.substring(at + 2);
    }
    return column;
  }

  /**
   * Resolves a ranker's inputs against the online views' join keys.
   *
   * @throws IllegalArgumentException naming every input that cannot be served
   */
  public static RankerInputs resolve(List<Input> inputs, Map<String, String> joinKeys) {
    return new RankerInputs(inputs, joinKeys);
  }

  /** The user's features to read online, in slot order. */
  public List<FeatureReference> userRefs() {
    return userRefs;
  }

  /** Each item's features to read online, in slot order. */
  public List<FeatureReference> itemRefs() {
    return itemRefs;
  }

  /** The names a caller may give values for (the ranker's inputs). */
  public Set<String> names() {
    return positions.keySet();
  }

  /**
   * Checks values a caller gives by input name: known names, numbers for numeric inputs, texts for
   * text inputs ({@code timestamp} is allowed as well when {@code allowTimestamp}).
   *
   * @param field how the request names the map, for the message ({@code context}, {@code
   *     rows[3].features})
   * @return null when all are fine, else the problem
   */
  public String check(String field, Map<String, Object> given, boolean allowTimestamp) {
    if (given == null) {
      return null;
    }
    for (Map.Entry<String, Object> entry : given.entrySet()) {
      String name = entry.getKey();
      Object value = entry.getValue();
      if (allowTimestamp && name.equals(TIMESTAMP)) {
        if (!(value instanceof String) || parseTime((String) value) == null) {
          return field
              + ".timestamp must be an ISO-8601 instant such as 2026-01-15T12:00:00Z, got "
              + value;
        }
        continue;
      }
      Integer at = positions.get(name);
      if (at == null) {
        return field
            + "."
            + name
            + " is not an input of the ranker; it takes "
            + positions.keySet()
            + (allowTimestamp ? " and timestamp" : "");
      }
      boolean numeric = inputs.get(at).type() == Input.InputType.NUMERIC;
      if (value != null && numeric && !(value instanceof Number)) {
        return field + "." + name + " must be a number, got \"" + value + "\"";
      }
      if (value != null && !numeric && !(value instanceof String)) {
        return field + "." + name + " must be a string, got " + value;
      }
    }
    return null;
  }

  /** The time of a request: {@code context.timestamp} when given (checked), else {@code now}. */
  public static Instant time(Map<String, Object> context, Instant now) {
    Object given = context == null ? null : context.get(TIMESTAMP);
    Instant parsed = given instanceof String ? parseTime((String) given) : null;
    return parsed == null ? now : parsed;
  }

  private static Instant parseTime(String text) {
    try {
      return Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /**
   * One row of ranker inputs.
   *
   * @param user the user's values for {@link #userRefs()}, or null (all missing)
   * @param item the item's values for {@link #itemRefs()}, or null (all missing)
   * @param als the candidate's ALS score (NaN when ALS knows neither)
   * @param given values by input name (context, or explicit features), winning over the sources
   * @param at the request's time
   */
  public Object[] row(
      Object[] user, Object[] item, double als, Map<String, Object> given, Instant at) {
    Object[] row = new Object[sources.length];
    ZonedDateTime time = at.atZone(ZoneOffset.UTC);
    for (int i = 0; i < sources.length; i++) {
      String name = publicNames[i];
      if (given != null && given.containsKey(name)) {
        row[i] = given.get(name);
        continue;
      }
      switch (sources[i]) {
        case USER:
          row[i] = user == null ? null : user[slots[i]];
          break;
        case ITEM:
          row[i] = item == null ? null : item[slots[i]];
          break;
        case ALS:
          row[i] = als;
          break;
        case HOUR:
          row[i] = time.getHour();
          break;
        case DAY:
          row[i] = dayOfWeek(time.getDayOfWeek());
          break;
        default:
          row[i] = null;
      }
    }
    return row;
  }

  /** Spark's {@code dayofweek}: 1 for Sunday to 7 for Saturday. */
  static int dayOfWeek(DayOfWeek day) {
    return day.getValue() % 7 + 1;
  }
}
