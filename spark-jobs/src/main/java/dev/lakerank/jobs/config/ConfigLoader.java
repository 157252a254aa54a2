package dev.lakerank.jobs.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lakerank.jobs.JobErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the configuration once, at the edge: defaults, then {@code lakerank.yaml}, then {@code
 * LAKERANK_*} environment variables, then flags; the later wins. Unknown keys are errors, with the
 * nearest known key as a hint.
 *
 * <p>Example {@code lakerank.yaml}:
 *
 * <pre>
 * lakehouse:
 *   root: s3a://analytics/lakehouse
 * spark:
 *   shuffle-partitions: 64
 *   conf:
 *     spark.sql.adaptive.enabled: "true"
 * </pre>
 */
public final class ConfigLoader {
  /** The file read from the working directory when no other is named. */
  public static final String DEFAULT_FILE = "lakerank.yaml";

  /** The environment variable that names a configuration file. */
  public static final String CONFIG_VARIABLE = "LAKERANK_CONFIG";

  /**
   * The environment variable {@code bin/lakerank} sets to the installation directory, so that the
   * shipped feature repository is found from any working directory.
   */
  public static final String HOME_VARIABLE = "LAKERANK_HOME";

  /** Prefixes of keys passed to a library verbatim. */
  private static final java.util.List<String> PASSTHROUGH =
      java.util.List.of(Settings.SPARK_CONF_PREFIX, Settings.KAFKA_CONF_PREFIX);

  private ConfigLoader() {}

  /**
   * Resolves every setting.
   *
   * @param file the file named by {@code --config}, if any
   * @param environment the process environment
   * @param flags setting key to value, from command-line flags
   */
  public static LakerankConfig load(
      Optional<Path> file, Map<String, String> environment, Map<String, String> flags) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    // spark.conf.* and kafka.conf.*: passed to the library verbatim, never checked here
    Map<String, Map<String, String>> passthrough = new LinkedHashMap<>();
    for (String prefix : PASSTHROUGH) {
      passthrough.put(prefix, new LinkedHashMap<>());
    }
    for (Setting<?> setting : Settings.ALL) {
      values.put(setting.key(), setting.defaultText());
      origins.put(setting.key(), "default");
    }
    String home = environment.get(HOME_VARIABLE);
    if (home != null && !Files.isDirectory(Path.of(Settings.FEATURE_REPO.defaultText()))) {
      values.put(Settings.FEATURE_REPO.key(), Path.of(home, "feature-repo").toString());
      origins.put(Settings.FEATURE_REPO.key(), "default (in $" + HOME_VARIABLE + ")");
    }

    Optional<Path> configFile =
        file.or(() -> Optional.ofNullable(environment.get(CONFIG_VARIABLE)).map(Path::of))
            .or(() -> Optional.of(Path.of(DEFAULT_FILE)).filter(Files::isRegularFile));
    if (configFile.isPresent()) {
      Path path = configFile.get();
      if (!Files.isRegularFile(path)) {
        throw JobErrors.configuration(
            "configuration file "
                + path.toAbsolutePath()
                + " does not exist; create it or drop --config");
      }
      readFile(path, values, origins, passthrough);
    }

    Settings.MLFLOW_VARIABLES.forEach(
        (variable, setting) -> {
          String value = environment.get(variable);
          if (value != null && !value.isBlank()) {
            values.put(setting.key(), value);
            origins.put(setting.key(), "$" + variable);
          }
        });
    for (Setting<?> setting : Settings.ALL) {
      String value = environment.get(setting.environmentVariable());
      if (value != null) {
        values.put(setting.key(), value);
        origins.put(setting.key(), "$" + setting.environmentVariable());
      }
    }

    flags:
    for (Map.Entry<String, String> flag : flags.entrySet()) {
      for (String prefix : PASSTHROUGH) {
        if (flag.getKey().startsWith(prefix)) {
          passthrough.get(prefix).put(flag.getKey().substring(prefix.length()), flag.getValue());
          continue flags;
        }
      }
      checkKnown(flag.getKey(), "the command line");
      values.put(flag.getKey(), flag.getValue());
      origins.put(flag.getKey(), "flag");
    }

    ResolvedSettings resolved =
        new ResolvedSettings(
            values,
            origins,
            passthrough.get(Settings.SPARK_CONF_PREFIX),
            passthrough.get(Settings.KAFKA_CONF_PREFIX));
    LakerankConfig config = LakerankConfig.from(resolved);
    config.mlflowRegistry();
    return config;
  }

  private static void readFile(
      Path path,
      Map<String, String> values,
      Map<String, String> origins,
      Map<String, Map<String, String>> passthrough) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
    } catch (IOException e) {
      throw JobErrors.configuration(path + " is not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return;
    }
    if (!root.isObject()) {
      throw JobErrors.configuration(
          path + " must be a YAML mapping of settings, such as `lakehouse: {root: ./lakehouse}`");
    }
    Map<String, String> flat = new LinkedHashMap<>();
    flatten("", root, flat, passthrough, path);
    for (Map.Entry<String, String> entry : flat.entrySet()) {
      checkKnown(entry.getKey(), path.toString());
      values.put(entry.getKey(), entry.getValue());
      origins.put(entry.getKey(), path.toString());
    }
  }

  private static void flatten(
      String prefix,
      JsonNode node,
      Map<String, String> flat,
      Map<String, Map<String, String>> passthrough,
      Path path) {
    node.fields()
        .forEachRemaining(
            entry -> {
              String key = prefix + entry.getKey();
              JsonNode value = entry.getValue();
              Map<String, String> verbatim = passthrough.get(key + ".");
              if (verbatim != null) {
                if (!value.isObject()) {
                  throw JobErrors.configuration(
                      path
                          + ": "
                          + key
                          + " must be a mapping of the library's own properties to values");
                }
                value
                    .fields()
                    .forEachRemaining(
                        e -> {
                          if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                            throw JobErrors.configuration(
                                path
                                    + ": "
                                    + key
                                    + " `"
                                    + e.getKey()
                                    + "` needs a single value (quote it: \"...\")");
                          }
                          verbatim.put(e.getKey(), e.getValue().asText());
                        });
              } else if (value.isObject()) {
                flatten(key + ".", value, flat, passthrough, path);
              } else if (value.isNull()) {
                throw JobErrors.configuration(
                    path
                        + ": `"
                        + key
                        + "` has no value; give it one, or remove the line to keep the default");
              } else if (value.isValueNode()) {
                flat.put(key, value.asText());
              } else {
                throw JobErrors.configuration(
                    path + ": `" + key + "` must be a single value, not a list");
              }
            });
  }

  private static void checkKnown(String key, String origin) {
    boolean known = Settings.ALL.stream().anyMatch(s -> s.key().equals(key));
    if (!known) {
      String nearest =
          Settings.ALL.stream()
              .map(Setting::key)
              .min(Comparator.comparingInt(k -> editDistance(k, key)))
              .orElseThrow();
      throw JobErrors.configuration(
          "unknown setting `"
              + key
              + "` in "
              + origin
              + "; did you mean `"
              + nearest
              + "`? (`lakerank config` lists every setting)");
    }
  }

  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
