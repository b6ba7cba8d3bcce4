package dev.parley.tenant;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What Parley knows about one model: its price and the project's limits for it. */
public record ModelConfig(String name, @Nullable Pricing pricing, @Nullable ProjectLimits projectLimits)
    implements Serializable {

  /** US dollars per million tokens, as Google's price list gives them (audio input, text output). */
  public record Pricing(double inputUsdPerMillionTokens, double outputUsdPerMillionTokens) implements Serializable {
    public double estimateUsd(long inputTokens, long outputTokens) {
      return (inputTokens * inputUsdPerMillionTokens + outputTokens * outputUsdPerMillionTokens) / 1_000_000.0;
    }
  }

  /** The Google Cloud project's quota for the model; absent fields are not enforced by Parley. */
  public record ProjectLimits(
      @Nullable Integer requestsPerMinute, @Nullable Long tokensPerMinute, @Nullable Integer requestsPerDay)
      implements Serializable {}
}
