package dev.lakerank.contract.messages;

import static java.util.Objects.requireNonNull;

/**
 * One field of a message.
 *
 * @param name the field's name in JSON, and the column's name in every table that keeps it
 * @param required false when the writer may leave it null
 * @param description a sentence for people (table comments, docs)
 */
public record MessageField(String name, FieldType type, boolean required, String description) {
  public MessageField {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(description, "description");
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException(
          "field name `" + name + "` is not snake_case; message fields are column names too");
    }
  }
}
