package dev.parley.transforms.spanner;

/** The join key of a call across collections: tenant and call id, separated by a character neither may hold. */
final class CallKey {
  private CallKey() {}

  static String of(String tenantId, String callId) {
    return tenantId + '\u0000' + callId;
  }
}
