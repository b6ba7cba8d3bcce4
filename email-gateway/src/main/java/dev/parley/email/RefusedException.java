package dev.parley.email;

/** A post is refused for {@link #refusal()}; the message says why without repeating any credential. */
final class RefusedException extends Exception {
  private final Refusal refusal;

  RefusedException(Refusal refusal, String message) {
    super(message);
    this.refusal = refusal;
  }

  Refusal refusal() {
    return refusal;
  }
}
