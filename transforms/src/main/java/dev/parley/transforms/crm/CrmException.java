package dev.parley.transforms.crm;

import dev.parley.model.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A CRM push that did not succeed, classified: its stable code, whether another attempt may succeed and when
 * (the CRM's {@code Retry-After}), and whether the tenant's endpoint should be left alone for a while (a spent
 * daily allowance, a webhook that is gone). Messages never hold a secret: callers build them from status codes
 * and redacted response excerpts.
 */
public final class CrmException extends Exception {
  private final ErrorCode code;
  private final boolean retryable;
  private final @Nullable Duration retryAfter;
  private final @Nullable Instant blockedUntil;

  private CrmException(ErrorCode code, String message, boolean retryable, @Nullable Duration retryAfter,
      @Nullable Instant blockedUntil) {
    super(message);
    this.code = code;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
    this.blockedUntil = blockedUntil;
  }

  /** Worth another attempt, after {@code retryAfter} when the CRM said so. */
  public static CrmException retryable(ErrorCode code, String message, @Nullable Duration retryAfter) {
    return new CrmException(code, message, true, retryAfter, null);
  }

  public static CrmException permanent(ErrorCode code, String message) {
    return new CrmException(code, message, false, null, null);
  }

  /** Permanent, and no call of this tenant should reach the endpoint before {@code until}. */
  public static CrmException blocking(ErrorCode code, String message, Instant until) {
    return new CrmException(code, message, false, null, until);
  }

  public ErrorCode code() {
    return code;
  }

  public boolean isRetryable() {
    return retryable;
  }

  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  public @Nullable Instant blockedUntil() {
    return blockedUntil;
  }
}
