package dev.parley.tools.reliability;

import java.util.LinkedHashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The scenario's secrets, by a name that may be printed, and a search for them in captured text. */
final class SecretScan {
  private final Map<String, String> secrets = new LinkedHashMap<>();

  /** Adds a secret; {@code name} says whose and what it is ("rel-t01 Gemini API key"). */
  void add(String name, String value) {
    secrets.put(value, name);
  }

  /** The name of the first secret {@code text} holds, or null. */
  @Nullable String find(@Nullable String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    for (Map.Entry<String, String> secret : secrets.entrySet()) {
      if (text.contains(secret.getKey())) {
        return secret.getValue();
      }
    }
    return null;
  }
}
