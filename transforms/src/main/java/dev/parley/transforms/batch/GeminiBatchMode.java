package dev.parley.transforms.batch;

import java.io.Serializable;
import java.time.Duration;

/**
 * How a backfill uses the Gemini Batch API: how often a job is polled, how long Parley waits for it before
 * cancelling it (the service's own target is 24 hours), and at most how many calls one job holds.
 */
public record GeminiBatchMode(Duration pollInterval, Duration deadline, int maxCallsPerJob) implements Serializable {
  /** A job's requests file stays well under the Files API's 2 GB a file (inline audio is most of a line). */
  static final long MAX_REQUEST_BYTES_PER_JOB = 1L << 30;

  public static GeminiBatchMode of(Duration pollInterval, Duration deadline) {
    return new GeminiBatchMode(pollInterval, deadline, 10_000);
  }
}
