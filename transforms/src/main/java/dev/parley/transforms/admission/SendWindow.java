package dev.parley.transforms.admission;

import dev.parley.tenant.ModelConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The requests sent to one quota holder within the last minute, counted as the service counts them: the last
 * gate before the wire.
 *
 * <p>Why a second gate after the project buckets: a call is granted by whichever key or worker dispatches, but
 * sent only when its own key's timer fires, its worker next asks Redis, or an executor thread is free. Calls
 * granted over a minute and a second can then reach the service within one sliding minute (measured on the
 * DirectRunner: up to 1.2 s between grant and send as a job starts, half a second later on; the quota bench got
 * two 429s from it). The buckets still decide who goes and pace the project below its limit; this log only holds
 * back a send that would make the service's own minute hold more than the limit, which in steady state it never
 * does, since the buckets refill below it (a bucket refills at most limit - 2 s of rate per minute; this window
 * lets the limit through per minute and {@link #ARRIVAL_MARGIN}).
 *
 * <p>A send is recorded when it passes this gate, and the service counts it when it arrives: the window is longer
 * than a minute by the most that may lie between the two. Measured on the quota bench: about 50 ms, but 1.2 s for
 * a JVM's first requests (the HTTP client's first use), which with a one-second margin still gave two 429s.
 */
final class SendWindow {
  /** How much later than its record here a request may arrive at the service, and still be counted right. */
  static final Duration ARRIVAL_MARGIN = Duration.ofSeconds(2);
  static final long WINDOW_NANOS = Duration.ofMinutes(1).plus(ARRIVAL_MARGIN).toNanos();

  /** Send time (nanos) and tokens of each request in the window, oldest first. */
  private final Deque<long[]> sent = new ArrayDeque<>();
  private long tokens;

  /**
   * Records a request of {@code cost} tokens as sent now and returns 0 if it keeps the window within the limits,
   * else returns the nanos until it would, recording nothing. A request larger than the token limit itself goes
   * when the window is empty.
   */
  long trySend(ModelConfig.@Nullable ProjectLimits limits, long cost, long now) {
    while (!sent.isEmpty() && sent.peekFirst()[0] <= now - WINDOW_NANOS) {
      tokens -= sent.pollFirst()[1];
    }
    long wait = 0;
    if (limits != null && limits.requestsPerMinute() != null && sent.size() >= limits.requestsPerMinute()) {
      wait = untilLeft(sent.size() - limits.requestsPerMinute() + 1, Long.MAX_VALUE, now);
    }
    if (limits != null && limits.tokensPerMinute() != null && !sent.isEmpty()
        && tokens + cost > limits.tokensPerMinute()) {
      wait = Math.max(wait, untilLeft(Integer.MAX_VALUE, tokens + cost - limits.tokensPerMinute(), now));
    }
    if (wait > 0) {
      return wait;
    }
    sent.addLast(new long[] {now, cost});
    tokens += cost;
    return 0;
  }

  /**
   * Nanos until the oldest requests have left the window, as many as it takes to free {@code requests} requests or
   * {@code excessTokens} tokens, whichever comes first; the whole window when even that is not enough.
   */
  private long untilLeft(long requests, long excessTokens, long now) {
    long freedTokens = 0;
    long leaving = now;
    int freed = 0;
    for (Iterator<long[]> it = sent.iterator(); it.hasNext() && freed < requests && freedTokens < excessTokens; ) {
      long[] entry = it.next();
      leaving = entry[0];
      freed++;
      freedTokens += entry[1];
    }
    return Math.max(1, leaving + WINDOW_NANOS - now);
  }
}
