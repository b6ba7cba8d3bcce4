package dev.parley.transforms;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Derives the stable call id that makes every write idempotent (Spanner key, CRM upsert key, webhook-id). The
 * same object version always yields the same id, whichever door it came through; a new version of an
 * object (a new generation) is a new call.
 */
public final class CallIds {
  private CallIds() {}

  /** For an object: its location and generation (GCS) or modification time (local files). */
  public static String forObject(String sourceUri, long generation) {
    return "c" + digest(sourceUri + "#" + generation);
  }

  /** For an arrival event that names no object version: the producer's event id. */
  public static String forEvent(String eventId) {
    return "e" + digest("event#" + eventId);
  }

  private static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      // 128 bits: collision-free in practice, and short enough for CRM external-id fields.
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
