package dev.parley.transforms.transcribe;

import dev.parley.model.ErrorCode;
import java.time.Duration;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One failed attempt, classified: the stable code it ends with if it is final, whether another attempt can
 * help, and how long the service asked us to wait first.
 */
public class TranscriptionException extends Exception {
  private final ErrorCode code;
  private final boolean retryable;
  private final @Nullable Duration retryAfter;

  public TranscriptionException(ErrorCode code, boolean retryable, @Nullable Duration retryAfter, String message) {
    super(message);
    this.code = code;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public static TranscriptionException permanent(ErrorCode code, String message) {
    return new TranscriptionException(code, false, null, message);
  }

  public static TranscriptionException retryable(ErrorCode code, @Nullable Duration retryAfter, String message) {
    return new TranscriptionException(code, true, retryAfter, message);
  }

  public ErrorCode code() {
    return code;
  }

  public boolean isRetryable() {
    return retryable;
  }

  /** The wait the service asked for (RetryInfo), or null when it named none. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }
}
