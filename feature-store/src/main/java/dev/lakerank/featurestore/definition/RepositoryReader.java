package dev.lakerank.featurestore.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lakerank.featurestore.errors.DefinitionException;
import dev.lakerank.featurestore.errors.FeatureStoreErrors;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the YAML files of a feature repository into definitions, with errors that name the place.
 */
final class RepositoryReader {
  private static final Set<String> DEFINITION_SECTIONS =
      Set.of("entities", "feature_views", "stream_feature_views", "feature_services");

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  RepoConfig readConfig(Path file) {
    Node root = parse(file);
    Node online = root.child("online_store");
    Node offline = root.optionalChild("offline_store");
    return new RepoConfig(
        root.text("project"),
        root.textOr("registry", "data/registry.db"),
        root.textOr("provider", "local"),
        new RepoConfig.OnlineStoreConfig(
            online.text("type"),
            online.textOr("path", "data/online.db"),
            online.textOr("connection_string", null),
            online.has("key_ttl_seconds") ? online.intOr("key_ttl_seconds", 0) : null),
        offline == null ? "spark" : offline.text("type"),
        root.intOr("entity_key_serialization_version", 3));
  }

  void readDefinitions(
      Path file, List<Entity> entities, List<FeatureView> views, List<FeatureService> services) {
    Node root = parse(file);
    for (String key : root.fieldNames()) {
      if (!DEFINITION_SECTIONS.contains(key)) {
        throw FeatureStoreErrors.invalidDefinition(
            file
                + ": unknown section `"
                + key
                + "`; a definition file holds "
                + String.join(", ", DEFINITION_SECTIONS.stream().sorted().toList()));
      }
    }
    for (Node node : root.list("entities")) {
      entities.add(
          new Entity(
              node.text("name"),
              node.text("join_key"),
              node.valueType("value_type"),
              node.textOr("description", "")));
    }
    for (Node node : root.list("feature_views")) {
      views.add(featureView(node, null));
    }
    for (Node node : root.list("stream_feature_views")) {
      Node stream = node.child("stream_source");
      views.add(
          featureView(
              node,
              new FeatureView.StreamSource(
                  stream.textOr("name", node.text("name") + "_stream"),
                  stream.text("topic"),
                  stream.textOr("bootstrap_servers", "127.0.0.1:9092"),
                  stream.textOr("message_format", "json"))));
    }
    for (Node node : root.list("feature_services")) {
      List<FeatureViewProjection> projections = new ArrayList<>();
      for (Node projection : node.list("features")) {
        projections.add(
            new FeatureViewProjection(
                projection.text("feature_view"), projection.texts("features")));
      }
      services.add(
          new FeatureService(node.text("name"), projections, node.textOr("description", "")));
    }
  }

  private static FeatureView featureView(Node node, FeatureView.StreamSource stream) {
    Node source = node.child("source");
    List<Feature> features = new ArrayList<>();
    for (Node feature : node.list("features")) {
      features.add(new Feature(feature.text("name"), feature.valueType("dtype")));
    }
    return new FeatureView(
        node.text("name"),
        node.texts("entities"),
        features,
        node.duration("ttl"),
        node.boolOr("online", true),
        new DataSource(
            source.textOr("name", node.text("name") + "_source"),
            source.text("table"),
            source.text("timestamp_field"),
            source.textOr("created_timestamp_column", null)),
        node.textOr("description", ""),
        node.stringMap("tags"),
        stream);
  }

  private Node parse(Path file) {
    try {
      JsonNode tree = yaml.readTree(file.toFile());
      if (tree == null || !tree.isObject()) {
        throw FeatureStoreErrors.invalidDefinition(file + " is empty or not a YAML mapping");
      }
      return new Node(file, "", tree);
    } catch (IOException e) {
      throw FeatureStoreErrors.invalidDefinition(file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  /** A YAML mapping with the path that leads to it, so errors say where they are. */
  private record Node(Path file, String path, JsonNode json) {
    private String where(String field) {
      return file.getFileName() + ": " + (path.isEmpty() ? "" : path + ".") + field;
    }

    Iterable<String> fieldNames() {
      List<String> names = new ArrayList<>();
      json.fieldNames().forEachRemaining(names::add);
      return names;
    }

    Node child(String field) {
      Node child = optionalChild(field);
      if (child == null) {
        throw FeatureStoreErrors.invalidDefinition(
            where(field) + " is missing; add it as a mapping");
      }
      return child;
    }

    Node optionalChild(String field) {
      JsonNode value = json.get(field);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!value.isObject()) {
        throw FeatureStoreErrors.invalidDefinition(where(field) + " must be a mapping");
      }
      return new Node(file, path.isEmpty() ? field : path + "." + field, value);
    }

    List<Node> list(String field) {
      JsonNode value = json.get(field);
      List<Node> nodes = new ArrayList<>();
      if (value == null || value.isNull()) {
        return nodes;
      }
      if (!value.isArray()) {
        throw FeatureStoreErrors.invalidDefinition(where(field) + " must be a list");
      }
      for (int i = 0; i < value.size(); i++) {
        JsonNode item = value.get(i);
        String itemPath = (path.isEmpty() ? field : path + "." + field) + "[" + i + "]";
        if (!item.isObject()) {
          throw FeatureStoreErrors.invalidDefinition(
              file.getFileName() + ": " + itemPath + " must be a mapping");
        }
        JsonNode name = item.get("name");
        String label =
            name != null && name.isTextual() ? itemPath + " (" + name.asText() + ")" : itemPath;
        nodes.add(new Node(file, label, item));
      }
      return nodes;
    }

    String text(String field) {
      String value = textOr(field, null);
      if (value == null || value.isBlank()) {
        throw FeatureStoreErrors.invalidDefinition(where(field) + " is missing");
      }
      return value;
    }

    String textOr(String field, String fallback) {
      JsonNode value = json.get(field);
      if (value == null || value.isNull()) {
        return fallback;
      }
      if (!value.isValueNode()) {
        throw FeatureStoreErrors.invalidDefinition(where(field) + " must be a single value");
      }
      return value.asText();
    }

    List<String> texts(String field) {
      JsonNode value = json.get(field);
      List<String> texts = new ArrayList<>();
      if (value == null || value.isNull()) {
        return texts;
      }
      if (!value.isArray()) {
        throw FeatureStoreErrors.invalidDefinition(
            where(field) + " must be a list, for example [a, b]");
      }
      value.forEach(v -> texts.add(v.asText()));
      return texts;
    }

    boolean boolOr(String field, boolean fallback) {
      String value = textOr(field, null);
      if (value == null) {
        return fallback;
      }
      if (!value.equals("true") && !value.equals("false")) {
        throw FeatureStoreErrors.invalidDefinition(
            where(field) + " is `" + value + "`; write true or false");
      }
      return Boolean.parseBoolean(value);
    }

    boolean has(String field) {
      return json.hasNonNull(field);
    }

    int intOr(String field, int fallback) {
      String value = textOr(field, null);
      try {
        return value == null ? fallback : Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw FeatureStoreErrors.invalidDefinition(
            where(field) + " is `" + value + "`; write a whole number");
      }
    }

    ValueType valueType(String field) {
      try {
        return ValueType.parse(text(field));
      } catch (DefinitionException e) {
        throw FeatureStoreErrors.invalidDefinition(where(field) + ": " + e.getMessage(), e);
      }
    }

    Duration duration(String field) {
      String value = textOr(field, "0");
      try {
        return DurationText.parse(value);
      } catch (IllegalArgumentException e) {
        throw FeatureStoreErrors.invalidDefinition(where(field) + ": " + e.getMessage(), e);
      }
    }

    Map<String, String> stringMap(String field) {
      Node node = optionalChild(field);
      Map<String, String> map = new LinkedHashMap<>();
      if (node != null) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.json.fields();
        fields.forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
      }
      return map;
    }
  }
}
