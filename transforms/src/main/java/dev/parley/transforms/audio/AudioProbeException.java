package dev.parley.transforms.audio;

import dev.parley.model.ErrorCode;

/** The recording cannot be used; {@link #code()} says why in a stable form. */
public class AudioProbeException extends Exception {
  private final ErrorCode code;

  public AudioProbeException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
