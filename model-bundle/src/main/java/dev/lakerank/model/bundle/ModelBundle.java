package dev.lakerank.model.bundle;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A bundle on disk whose manifest was read and whose files all matched their checksums. Opening
 * refuses an unknown format version, a missing file, a file the manifest does not list a checksum
 * for, and a checksum mismatch, each with the file's name.
 */
public final class ModelBundle {
  public static final String MANIFEST = "manifest.json";

  private final Path directory;
  private final Manifest manifest;

  private ModelBundle(Path directory, Manifest manifest) {
    this.directory = directory;
    this.manifest = manifest;
  }

  /** Opens and verifies the bundle in {@code directory}. */
  public static ModelBundle open(Path directory) {
    Path manifestFile = directory.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw BundleErrors.notFound(
          "not a model bundle: "
              + manifestFile
              + " is missing "
              + "(a bundle is the directory `lakerank train` exports or the registry holds)");
    }
    Manifest manifest;
    try {
      manifest = Json.MAPPER.readValue(manifestFile.toFile(), Manifest.class);
    } catch (JacksonException e) {
      throw BundleErrors.invalid("cannot read " + manifestFile + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw BundleErrors.invalid("cannot read " + manifestFile + ": " + e.getMessage(), e);
    }
    if (manifest.formatVersion() != Manifest.FORMAT_VERSION) {
      throw BundleErrors.invalid(
          "unknown bundle format version "
              + manifest.formatVersion()
              + " in "
              + manifestFile
              + "; this Lakerank reads version "
              + Manifest.FORMAT_VERSION
              + " (export the model again, or upgrade Lakerank)");
    }
    for (Map.Entry<String, String> file : manifest.files().entrySet()) {
      Path path = resolveInside(directory, file.getKey());
      String actual;
      try {
        actual = sha256(path);
      } catch (NoSuchFileException e) {
        throw BundleErrors.invalid(
            "bundle file missing: "
                + path
                + " is listed in "
                + manifestFile
                + " but absent; the bundle is incomplete, copy or export it again");
      } catch (IOException e) {
        throw BundleErrors.invalid("cannot read bundle file " + path + ": " + e.getMessage(), e);
      }
      if (!actual.equals(file.getValue())) {
        throw BundleErrors.invalid(
            "checksum mismatch for bundle file "
                + path
                + ": manifest says sha256 "
                + file.getValue()
                + ", the file has "
                + actual
                + "; the file was changed or damaged, export the model again");
      }
    }
    return new ModelBundle(directory, manifest);
  }

  public Path directory() {
    return directory;
  }

  public Manifest manifest() {
    return manifest;
  }

  /** A payload file the manifest lists (so its checksum was verified). */
  public Path file(String relative) {
    if (!manifest.files().containsKey(relative)) {
      throw BundleErrors.invalid(
          "bundle "
              + directory
              + " ("
              + manifest.kind().value()
              + ") has no file `"
              + relative
              + "`; its files are "
              + manifest.files().keySet());
    }
    return resolveInside(directory, relative);
  }

  /** Reads a JSON payload file. */
  public <T> T readJson(String relative, Class<T> type) {
    Path path = file(relative);
    try {
      return Json.MAPPER.readValue(path.toFile(), type);
    } catch (JacksonException e) {
      throw BundleErrors.invalid(
          "cannot read bundle file " + path + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw BundleErrors.invalid("cannot read bundle file " + path + ": " + e.getMessage(), e);
    }
  }

  /** Refuses the kind if it is not the one expected. */
  public ModelBundle requireKind(ModelKind... kinds) {
    for (ModelKind kind : kinds) {
      if (manifest.kind() == kind) {
        return this;
      }
    }
    throw BundleErrors.invalid(
        "bundle "
            + directory
            + " holds a "
            + manifest.kind().value()
            + " model, expected "
            + java.util.Arrays.toString(
                java.util.Arrays.stream(kinds).map(ModelKind::value).toArray()));
  }

  static Path resolveInside(Path directory, String relative) {
    Path path = directory.resolve(relative).normalize();
    if (!path.startsWith(directory.normalize())
        || path.equals(directory.resolve(MANIFEST).normalize())) {
      throw BundleErrors.invalid(
          "bundle file name `" + relative + "` leaves the bundle directory or names the manifest");
    }
    return path;
  }

  static String sha256(Path path) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(path), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
