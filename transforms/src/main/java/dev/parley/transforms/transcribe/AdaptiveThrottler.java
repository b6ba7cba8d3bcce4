package dev.parley.transforms.transcribe;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.util.MovingFunction;

/**
 * Client-side adaptive throttling from the Google SRE book ("Handling Overload"): over the last two minutes,
 * count the requests made and those the service accepted; reject a new request locally with probability
 * {@code max(0, (requests - K * accepts) / (requests + 1))}. A struggling service then sees fewer requests, and
 * recovers faster, instead of being hammered by retries. K = 2 lets through twice what the service accepts.
 *
 * <p>One throttler per key, shared by every DoFn in the worker JVM: Parley keeps one per tenant (a tenant
 * whose key is revoked does not throttle the others) and one per Gemini project (an overloaded model throttles
 * everyone who uses it).
 */
public final class AdaptiveThrottler {
  static final double K = 2.0;
  /** Below this many requests in the window the ratio says nothing yet: never throttle on a handful. */
  static final long MIN_REQUESTS = 10;
  private static final long WINDOW_MILLIS = 120_000;
  private static final long BUCKET_MILLIS = 1_000;
  private static final Map<String, AdaptiveThrottler> SHARED = new ConcurrentHashMap<>();

  private final MovingFunction requests;
  private final MovingFunction accepts;
  private final LongSupplier clock;
  private final Random random;

  AdaptiveThrottler(LongSupplier clock, Random random) {
    this.requests = new MovingFunction(WINDOW_MILLIS, BUCKET_MILLIS, 1, 1, Sum.ofLongs());
    this.accepts = new MovingFunction(WINDOW_MILLIS, BUCKET_MILLIS, 1, 1, Sum.ofLongs());
    this.clock = clock;
    this.random = random;
  }

  public static AdaptiveThrottler shared(String key) {
    return SHARED.computeIfAbsent(key, k -> new AdaptiveThrottler(System::currentTimeMillis, new Random()));
  }

  /** The probability that the next request is rejected locally. */
  public synchronized double rejectionProbability() {
    long now = clock.getAsLong();
    double total = requests.get(now);
    if (total < MIN_REQUESTS) {
      return 0;
    }
    double accepted = accepts.get(now);
    return Math.max(0, (total - K * accepted) / (total + 1));
  }

  /**
   * Decides whether to send a request now. A request rejected here counts at once; one that is sent counts when
   * its answer is known ({@link #answered}), so a burst of requests still in flight never looks like refusals.
   *
   * @return true when the request should not be sent
   */
  public synchronized boolean rejectLocally() {
    boolean reject = random.nextDouble() < rejectionProbability();
    if (reject) {
      requests.add(clock.getAsLong(), 1);
    }
    return reject;
  }

  /** A sent request got its answer; {@code accepted} unless it was 429, 5xx or a timeout. */
  public synchronized void answered(boolean accepted) {
    long now = clock.getAsLong();
    requests.add(now, 1);
    if (accepted) {
      accepts.add(now, 1);
    }
  }
}
