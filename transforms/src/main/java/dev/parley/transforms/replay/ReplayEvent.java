package dev.parley.transforms.replay;

import dev.parley.model.DeadLetter;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One Pub/Sub message a replay sends for a dead letter: a Parley arrival event for the call, or the original
 * message when the dead letter kept one. {@code callId} is the call the pipeline will derive from it (null for a
 * message that never became a call).
 */
public record ReplayEvent(DeadLetter origin, @Nullable String callId, byte[] data, Map<String, String> attributes) {
  public ReplayEvent {
    attributes = Map.copyOf(attributes);
  }
}
