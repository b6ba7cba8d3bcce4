package dev.parley.emulator.gemini;

/**
 * The emulator's knobs. Limits are per API key (Gemini API) or per project (Vertex AI), as the real service
 * counts them: requests and input tokens over a sliding minute, requests per Pacific day; zero means unlimited.
 * Fault rates are probabilities per request, drawn from a seeded generator so a run can be repeated. A request
 * body above {@code maxRequestBytes} is refused with 413; {@code gcsRoot} is the local folder that stands in for
 * Cloud Storage when a Vertex AI request names a {@code gs://bucket/object} file ({@code gcsRoot/bucket/object}).
 */
public record GeminiEmulatorSettings(
    int requestsPerMinute,
    long tokensPerMinute,
    int requestsPerDay,
    long fixedLatencyMillis,
    double latencyMillisPerAudioSecond,
    double rate429,
    long retryDelayMillis429,
    double rate500,
    double rate503,
    double rateTimeout,
    double rateMalformed,
    long timeoutHangMillis,
    long maxRequestBytes,
    java.nio.file.Path gcsRoot,
    long seed) {

  public static GeminiEmulatorSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.requestsPerMinute = requestsPerMinute;
    b.tokensPerMinute = tokensPerMinute;
    b.requestsPerDay = requestsPerDay;
    b.fixedLatencyMillis = fixedLatencyMillis;
    b.latencyMillisPerAudioSecond = latencyMillisPerAudioSecond;
    b.rate429 = rate429;
    b.retryDelayMillis429 = retryDelayMillis429;
    b.rate500 = rate500;
    b.rate503 = rate503;
    b.rateTimeout = rateTimeout;
    b.rateMalformed = rateMalformed;
    b.timeoutHangMillis = timeoutHangMillis;
    b.maxRequestBytes = maxRequestBytes;
    b.gcsRoot = gcsRoot;
    b.seed = seed;
    return b;
  }

  /** Builds settings; unset knobs are off (no limits, no latency, no faults). */
  public static final class Builder {
    private int requestsPerMinute;
    private long tokensPerMinute;
    private int requestsPerDay;
    private long fixedLatencyMillis;
    private double latencyMillisPerAudioSecond;
    private double rate429;
    private long retryDelayMillis429 = 1000;
    private double rate500;
    private double rate503;
    private double rateTimeout;
    private double rateMalformed;
    private long timeoutHangMillis = 30_000;
    /** Inline data was limited to 20 MB per request until 2026, 100 MB since. */
    private long maxRequestBytes = 100L * 1000 * 1000;
    private java.nio.file.Path gcsRoot;
    private long seed = 42;

    private Builder() {}

    public Builder limits(int requestsPerMinute, long tokensPerMinute) {
      this.requestsPerMinute = requestsPerMinute;
      this.tokensPerMinute = tokensPerMinute;
      return this;
    }

    public Builder requestsPerDay(int requestsPerDay) {
      this.requestsPerDay = requestsPerDay;
      return this;
    }

    public Builder latency(long fixedMillis, double millisPerAudioSecond) {
      this.fixedLatencyMillis = fixedMillis;
      this.latencyMillisPerAudioSecond = millisPerAudioSecond;
      return this;
    }

    /**
     * Shares of requests answered with a fault instead of a transcript: 429 (a per-minute quota, with RetryInfo,
     * whatever the real limits say), 500, 503, no answer, an answer cut mid-JSON.
     */
    public Builder faults(double rate429, double rate500, double rate503, double rateTimeout, double rateMalformed) {
      this.rate429 = rate429;
      this.rate500 = rate500;
      this.rate503 = rate503;
      this.rateTimeout = rateTimeout;
      this.rateMalformed = rateMalformed;
      return this;
    }

    /** The retry delay a drawn 429 names in its RetryInfo. */
    public Builder retryDelay429(long millis) {
      this.retryDelayMillis429 = millis;
      return this;
    }

    /** How long a "timeout" fault holds the connection before dropping it. */
    public Builder timeoutHang(long millis) {
      this.timeoutHangMillis = millis;
      return this;
    }

    public Builder maxRequestBytes(long bytes) {
      this.maxRequestBytes = bytes;
      return this;
    }

    public Builder gcsRoot(java.nio.file.Path folder) {
      this.gcsRoot = folder;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public GeminiEmulatorSettings build() {
      return new GeminiEmulatorSettings(requestsPerMinute, tokensPerMinute, requestsPerDay, fixedLatencyMillis,
          latencyMillisPerAudioSecond, rate429, retryDelayMillis429, rate500, rate503, rateTimeout, rateMalformed, timeoutHangMillis,
          maxRequestBytes, gcsRoot, seed);
    }
  }
}
