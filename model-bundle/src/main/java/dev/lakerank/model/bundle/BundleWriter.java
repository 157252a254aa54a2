package dev.lakerank.model.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a bundle: payload files first, then the manifest with their checksums, written to a
 * temporary name and moved into place, so a reader never sees a manifest without its files.
 */
public final class BundleWriter {
  private final Path directory;
  private final Map<String, String> files = new TreeMap<>();

  public BundleWriter(Path directory) {
    this.directory = directory;
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create bundle directory " + directory, e);
    }
  }

  public Path directory() {
    return directory;
  }

  /** Where a payload file goes; call {@link #added} once it is written. */
  public Path pathOf(String relative) {
    Path path = ModelBundle.resolveInside(directory, relative);
    try {
      Files.createDirectories(path.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path.getParent(), e);
    }
    return path;
  }

  /** Records a payload file written at {@link #pathOf}. */
  public void added(String relative) {
    try {
      files.put(relative, ModelBundle.sha256(pathOf(relative)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read back bundle file " + relative, e);
    }
  }

  public void writeJson(String relative, Object value) {
    try (OutputStream out = Files.newOutputStream(pathOf(relative))) {
      Json.MAPPER.writeValue(out, value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write bundle file " + relative, e);
    }
    added(relative);
  }

  /** Writes the manifest, with the checksums of the files added, and returns the bundle opened. */
  public ModelBundle finish(Manifest manifest) {
    writeManifest(directory, manifest.withFiles(files));
    return ModelBundle.open(directory);
  }

  /** Writes a manifest atomically (temporary file, then move). */
  public static void writeManifest(Path directory, Manifest manifest) {
    Path target = directory.resolve(ModelBundle.MANIFEST);
    Path temporary = directory.resolve(ModelBundle.MANIFEST + ".tmp");
    try {
      Json.MAPPER.writeValue(temporary.toFile(), manifest);
      Files.move(
          temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
