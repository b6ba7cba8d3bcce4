package dev.parley.transforms.ratelimit;

import java.io.Serializable;
import java.time.Duration;

/** A request limit: at most {@code requests} per {@code period}, with the full allowance as burst. */
public record RequestRate(int requests, Duration period) implements Serializable {
  public static RequestRate perMinute(int requests) {
    return new RequestRate(requests, Duration.ofMinutes(1));
  }
}
