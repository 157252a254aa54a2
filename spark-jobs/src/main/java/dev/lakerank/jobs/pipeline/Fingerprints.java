package dev.lakerank.jobs.pipeline;

import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/** The text of a step's inputs, and its digest. */
final class Fingerprints {
  private final Lakehouse lakehouse;

  Fingerprints(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  /** {@code table@version} per line. */
  String versions(TableName... tables) {
    StringBuilder text = new StringBuilder();
    for (TableName table : tables) {
      text.append(table).append('@').append(lakehouse.version(table)).append('\n');
    }
    return text.toString();
  }

  /** The Delta version of every existing offline table of the feature views. */
  String sourceVersions(FeatureRepository repository) {
    return versions(
        repository.featureViews().stream()
            .map(view -> TableName.parse(view.source().table()))
            .distinct()
            .filter(lakehouse::exists)
            .toArray(TableName[]::new));
  }

  /** The name and text of every YAML file of the feature repository. */
  static String repositoryText(Path repository) {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(repository)) {
      for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList()) {
        text.append(file.getFileName())
            .append('\n')
            .append(Files.readString(file, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read feature repository " + repository, e);
    }
    return text.toString();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
