package dev.parley.emulator.gemini;

/**
 * An answer the emulator gives instead of a transcript: queued with {@link GeminiEmulator#scriptFaults} for
 * exact tests, or drawn at the configured rates.
 */
public record Fault(Kind kind, long retryDelayMillis) {
  public enum Kind {
    /** 429 RESOURCE_EXHAUSTED on a per-minute quota, with RetryInfo unless the delay is 0 (as Vertex often answers). */
    RATE_LIMITED,
    /** 429 RESOURCE_EXHAUSTED on a per-day quota. */
    DAILY_QUOTA,
    /** 400 INVALID_ARGUMENT. */
    BAD_REQUEST,
    /** 500 INTERNAL. */
    INTERNAL,
    /** 503 UNAVAILABLE. */
    UNAVAILABLE,
    /** No answer: the connection is held, then dropped. */
    TIMEOUT,
    /** 200 with the transcript JSON cut in half. */
    MALFORMED,
    /** 200 with the transcript cut in half and finishReason MAX_TOKENS. */
    TRUNCATED
  }

  public static Fault of(Kind kind) {
    return new Fault(kind, 0);
  }

  public static Fault rateLimited(long retryDelayMillis) {
    return new Fault(Kind.RATE_LIMITED, retryDelayMillis);
  }
}
