package dev.parley.transforms.admission;

import dev.parley.tenant.ModelConfig;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What one model call takes from the quotas: one request, the input tokens it will bill (32 per second of
 * audio, plus the prompt), and the audio it carries.
 */
public record CallCost(long tokens, long audioMillis) {
  /** Gemini bills audio at 32 tokens per second; the prompt adds a few hundred. */
  public static final int TOKENS_PER_AUDIO_SECOND = 32;
  static final int PROMPT_TOKENS = 300;

  public static CallCost ofAudio(long audioMillis) {
    return new CallCost(audioMillis * TOKENS_PER_AUDIO_SECOND / 1000 + PROMPT_TOKENS, audioMillis);
  }

  /**
   * How far this call moves its tenant's fair-queueing tag: its cost in shares of a minute of the project's
   * capacity (the larger of its request and token shares; 1 without project limits), over the tenant's weight.
   */
  double finishIncrement(ModelConfig.@Nullable ProjectLimits limits, double weight) {
    double share = 1;
    if (limits != null) {
      double byRequests = limits.requestsPerMinute() == null ? 0 : 1.0 / limits.requestsPerMinute();
      double byTokens = limits.tokensPerMinute() == null ? 0 : tokens / (double) limits.tokensPerMinute();
      double larger = Math.max(byRequests, byTokens);
      share = larger == 0 ? 1 : larger;
    }
    return share / Math.max(1e-6, weight);
  }
}
