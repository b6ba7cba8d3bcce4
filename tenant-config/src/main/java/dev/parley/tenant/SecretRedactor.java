package dev.parley.tenant;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows every secret value this JVM has resolved and blanks them out of text that leaves the process:
 * dead-letter messages, log lines, exception messages of third-party clients (which may echo a request).
 * {@link SecretResolver} registers each value it hands out.
 */
public final class SecretRedactor {
  public static final String MASK = "[REDACTED]";
  /** Shorter values would blank out ordinary words; no real key or token is this short. */
  private static final int MIN_LENGTH = 6;

  private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

  private SecretRedactor() {}

  static void register(String secretValue) {
    if (secretValue != null && secretValue.length() >= MIN_LENGTH) {
      KNOWN.add(secretValue);
    }
  }

  /** {@code text} with every known secret value replaced by {@link #MASK}; null stays null. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : KNOWN) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }
}
