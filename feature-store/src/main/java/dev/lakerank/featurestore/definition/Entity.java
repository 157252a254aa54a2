package dev.lakerank.featurestore.definition;

import static java.util.Objects.requireNonNull;

/**
 * A Feast entity: what features are keyed by ({@code user}, joined on {@code user_id}).
 *
 * @param name the entity's name, referenced by feature views
 * @param joinKey the column that holds the key in every table
 * @param valueType the key's type; Feast encodes INT32 and INT64 keys differently, so it must match
 *     the tables exactly
 * @param description free text for people
 */
public record Entity(String name, String joinKey, ValueType valueType, String description) {
  public Entity {
    requireNonNull(name, "name");
    requireNonNull(joinKey, "joinKey");
    requireNonNull(valueType, "valueType");
    description = description == null ? "" : description;
  }
}
