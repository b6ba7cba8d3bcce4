package dev.parley.emulator.gemini;

/**
 * The emulator's knobs. Limits are per API key (Gemini API) or per project (Vertex AI), over a sliding minute,
 * as the real service counts them; zero means unlimited. Fault rates are probabilities per request, drawn from
 * a seeded generator so a run can be repeated.
 */
public record GeminiEmulatorSettings(
    int requestsPerMinute,
    long tokensPerMinute,
    long fixedLatencyMillis,
    double latencyMillisPerAudioSecond,
    double rate500,
    double rate503,
    double rateTimeout,
    double rateMalformed,
    long timeoutHangMillis,
    long seed) {

  public static GeminiEmulatorSettings defaults() {
    return new GeminiEmulatorSettings(0, 0, 0, 0, 0, 0, 0, 0, 30_000, 42);
  }

  public GeminiEmulatorSettings withLimits(int requestsPerMinute, long tokensPerMinute) {
    return new GeminiEmulatorSettings(requestsPerMinute, tokensPerMinute, fixedLatencyMillis,
        latencyMillisPerAudioSecond, rate500, rate503, rateTimeout, rateMalformed, timeoutHangMillis, seed);
  }

  public GeminiEmulatorSettings withLatency(long fixedMillis, double millisPerAudioSecond) {
    return new GeminiEmulatorSettings(requestsPerMinute, tokensPerMinute, fixedMillis, millisPerAudioSecond,
        rate500, rate503, rateTimeout, rateMalformed, timeoutHangMillis, seed);
  }

  public GeminiEmulatorSettings withFaults(double rate500, double rate503, double rateTimeout, double rateMalformed) {
    return new GeminiEmulatorSettings(requestsPerMinute, tokensPerMinute, fixedLatencyMillis,
        latencyMillisPerAudioSecond, rate500, rate503, rateTimeout, rateMalformed, timeoutHangMillis, seed);
  }

  public GeminiEmulatorSettings withTimeoutHang(long millis) {
    return new GeminiEmulatorSettings(requestsPerMinute, tokensPerMinute, fixedLatencyMillis,
        latencyMillisPerAudioSecond, rate500, rate503, rateTimeout, rateMalformed, millis, seed);
  }
}
