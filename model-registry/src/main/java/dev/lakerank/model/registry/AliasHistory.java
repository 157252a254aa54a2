package dev.lakerank.model.registry;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Where {@code rollback} goes, read from a model's history, the same for every registry: each alias
 * set pushes its version, each rollback pops one, and the version under the top is the target.
 */
public final class AliasHistory {
  private AliasHistory() {}

  /** A rollback: the alias leaves {@code from} for {@code to}. */
  public record Rollback(int from, int to) {}

  /** Where the alias goes back to; refused, with how to set it, when it has no earlier version. */
  public static Rollback rollback(String model, String alias, List<RegistryEvent> history) {
    Deque<Integer> stack = new ArrayDeque<>();
    for (RegistryEvent event : history) {
      if (alias.equals(event.alias())) {
        if (RegistryEvent.ALIAS.equals(event.event())) {
          stack.push(event.version());
        } else if (RegistryEvent.ROLLBACK.equals(event.event()) && !stack.isEmpty()) {
          stack.pop();
        }
      }
    }
    if (stack.size() < 2) {
      throw RegistryErrors.conflict(
          "alias `"
              + alias
              + "` of model `"
              + model
              + "` has no earlier version to roll back to"
              + (stack.isEmpty()
                  ? " (it was never set)"
                  : " (it was set once, to version " + stack.peek() + ")")
              + "; set it with `lakerank models promote "
              + model
              + " <version> --alias "
              + alias
              + "`");
    }
    int current = stack.pop();
    return new Rollback(current, stack.peek());
  }
}
