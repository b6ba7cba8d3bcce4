package dev.parley.transforms;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules for object names at Parley's door: which names are refused (traversal, control characters,
 * over-long), and which are skipped because they are not finished recordings (temporary and partial uploads,
 * dotfiles, metadata sidecars).
 */
public final class ObjectNames {
  /** GCS's own limit on object names. */
  public static final int MAX_NAME_BYTES = 1024;

  private ObjectNames() {}

  /** Why this location is refused, or empty when it is acceptable. Never repeats the name. */
  public static Optional<String> problem(String uri) {
    if (uri.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      return Optional.of("object name is longer than " + MAX_NAME_BYTES + " bytes");
    }
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        return Optional.of("object name holds a control character at position " + i);
      }
    }
    String path = uri.startsWith("gs://") ? uri.substring(5) : uri;
    for (String segment : path.split("[/\\\\]", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        return Optional.of("object name holds a '" + segment + "' path segment");
      }
    }
    return Optional.empty();
  }

  /** Whether the object is not (yet) a recording: an upload in progress, a dotfile, a sidecar. */
  public static boolean isSkipped(String uri) {
    String name = uri.substring(uri.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    return name.isEmpty()
        || name.startsWith(".")
        || name.startsWith("~")
        || name.endsWith("~")
        || name.endsWith(".tmp")
        || name.endsWith(".temp")
        || name.endsWith(".part")
        || name.endsWith(".partial")
        || name.endsWith(".crdownload")
        || name.endsWith(".download")
        || name.contains("_copying_")
        || isSidecar(name);
  }

  /** A metadata sidecar ({@code call.wav.json}): read with its recording, never transcribed itself. */
  public static boolean isSidecar(String uri) {
    return uri.toLowerCase(Locale.ROOT).endsWith(".json");
  }
}
