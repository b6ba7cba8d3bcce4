package dev.parley.tenant;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The rule for tenant ids, Mimir's: at most 150 bytes of {@code [0-9a-zA-Z!-_.*'()]}, never {@code .} or
 * {@code ..}. Ids appear in object paths, Spanner keys and metric labels, so the rule is checked wherever an
 * id enters Parley: the config loader and the path parser both call {@link #problem}.
 */
public final class TenantId {
  public static final int MAX_BYTES = 150;

  private TenantId() {}

  /** Why {@code id} is not a valid tenant id, or empty when it is. The message never repeats the id. */
  public static Optional<String> problem(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.of("tenant id is empty");
    }
    if (id.equals(".") || id.equals("..")) {
      return Optional.of("tenant id may not be '.' or '..'");
    }
    if (id.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return Optional.of("tenant id is longer than " + MAX_BYTES + " bytes");
    }
    for (int i = 0; i < id.length(); i++) {
      if (!isAllowed(id.charAt(i))) {
        return Optional.of(
            "tenant id has a character outside [0-9a-zA-Z!-_.*'()] at position " + i);
      }
    }
    return Optional.empty();
  }

  public static boolean isValid(String id) {
    return problem(id).isEmpty();
  }

  private static boolean isAllowed(char c) {
    return (c >= '0' && c <= '9')
        || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '!' || c == '-' || c == '_' || c == '.' || c == '*' || c == '\'' || c == '(' || c == ')';
  }
}
