package dev.parley.tenant;

/** A secret reference could not be resolved. The message names the reference and the reason, never a value. */
public class SecretUnavailableException extends Exception {
  private final SecretRef ref;

  public SecretUnavailableException(SecretRef ref, String reason) {
    super("secret " + ref + " unavailable: " + reason);
    this.ref = ref;
  }

  public SecretRef ref() {
    return ref;
  }
}
