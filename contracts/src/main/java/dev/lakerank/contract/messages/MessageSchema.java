package dev.lakerank.contract.messages;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of one kind of message, in the order writers emit them.
 *
 * @param name the kind, which is also the default topic ({@code predictions})
 */
public record MessageSchema(String name, List<MessageField> fields) {
  public MessageSchema {
    requireNonNull(name, "name");
    fields = List.copyOf(fields);
    Set<String> names = new HashSet<>();
    for (MessageField field : fields) {
      if (!names.add(field.name())) {
        throw new IllegalArgumentException(
            "message `" + name + "` names field `" + field.name() + "` twice");
      }
    }
  }

  /** The field names, in order. */
  public List<String> fieldNames() {
    return fields.stream().map(MessageField::name).toList();
  }

  /** The fields a writer must give. */
  public List<MessageField> requiredFields() {
    return fields.stream().filter(MessageField::required).toList();
  }

  /** The field called {@code name}, if there is one. */
  public Optional<MessageField> field(String name) {
    return fields.stream().filter(field -> field.name().equals(name)).findFirst();
  }

  static MessageField required(String name, FieldType type, String description) {
    return new MessageField(name, type, true, description);
  }

  static MessageField optional(String name, FieldType type, String description) {
    return new MessageField(name, type, false, description);
  }
}
