package dev.parley.transforms.calendar;

import java.io.Serializable;
import java.time.Duration;

/**
 * How hard one call's calendar lookup tries: a rate-limited or failing request is retried up to {@code maxRetries}
 * times with backoff from {@code initialBackoff}, each request within {@code requestTimeout}, and the whole lookup,
 * waits included, within {@code budget}. Past it the call goes on without its meeting: enrichment never holds a
 * call for long.
 */
public record LookupPolicy(int maxRetries, Duration initialBackoff, Duration requestTimeout, Duration budget)
    implements Serializable {
  public static final LookupPolicy DEFAULT =
      new LookupPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(30));
}
