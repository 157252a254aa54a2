package dev.lakerank.model.registry;

import java.util.regex.Pattern;

/**
 * The names every registry accepts for models and aliases, so a model moves between registries
 * unchanged.
 */
public final class RegistryNames {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

  private RegistryNames() {}

  /**
   * Returns {@code name}, or refuses it naming {@code what} ("model name", "alias") and the rule.
   */
  public static String check(String name, String what) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw RegistryErrors.invalid(
          what
              + " `"
              + name
              + "` is not valid: use lower-case letters, digits, `-` and `_`, starting with a letter");
    }
    return name;
  }
}
