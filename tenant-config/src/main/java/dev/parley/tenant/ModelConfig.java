package dev.parley.tenant;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What Parley knows about one model: its price and the project's limits for it. */
public record ModelConfig(String name, @Nullable Pricing pricing, @Nullable ProjectLimits projectLimits)
    implements Serializable {

  /**
   * Prices as Google's price list gives them: US dollars per million tokens (Gemini: audio input, text output)
   * or per minute of audio (Speech-to-Text). Absent prices count as zero.
   */
  public record Pricing(double inputUsdPerMillionTokens, double outputUsdPerMillionTokens, double audioUsdPerMinute)
      implements Serializable {
    public double estimateUsd(long inputTokens, long outputTokens, long audioMillis) {
      return (inputTokens * inputUsdPerMillionTokens + outputTokens * outputUsdPerMillionTokens) / 1_000_000.0
          + audioMillis / 60_000.0 * audioUsdPerMinute;
    }
  }

  /** The Google Cloud project's quota for the model; absent fields are not enforced by Parley. */
  public record ProjectLimits(
      @Nullable Integer requestsPerMinute, @Nullable Long tokensPerMinute, @Nullable Integer requestsPerDay)
      implements Serializable {}
}
