package dev.parley.tenant;

/**
 * Compares object locations with source prefixes on folder boundaries: {@code gs://b/calls} owns
 * {@code gs://b/calls/x.wav} but not {@code gs://b/calls2/x.wav}. Local paths and {@code file://} URIs are the
 * same place.
 */
final class SourcePrefix {
  private SourcePrefix() {}

  static String normalizeFolder(String prefix) {
    String p = normalizeObject(prefix);
    return p.endsWith("/") ? p : p + "/";
  }

  static String normalizeObject(String uri) {
    return uri.startsWith("file://") ? uri.substring("file://".length()) : uri;
  }

  static boolean overlap(String a, String b) {
    String fa = normalizeFolder(a);
    String fb = normalizeFolder(b);
    return fa.startsWith(fb) || fb.startsWith(fa);
  }
}
