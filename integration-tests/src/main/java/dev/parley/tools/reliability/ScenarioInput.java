package dev.parley.tools.reliability;

import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One input of the reliability scenario and what must become of it: stored (no {@code expectedCode}) or
 * dead-lettered with {@code expectedCode}. A file is dropped into the watched folder; an event is published to
 * Pub/Sub, naming {@code sourceUri}. {@code ownsUri} says whether a stored row or dead letter with this
 * location is this input's (false for an event that names another input's recording).
 */
record ScenarioInput(
    String kind,
    Door door,
    String tenant,
    String sourceUri,
    boolean ownsUri,
    @Nullable String expectedCode,
    @Nullable String eventId,
    byte @Nullable [] eventData,
    Map<String, String> eventAttributes) {
  enum Door {
    DROP_FOLDER,
    PUBSUB,
    /** Dropped into the watched folder and announced on Pub/Sub: two arrivals, one call. */
    BOTH
  }

  boolean good() {
    return expectedCode == null;
  }

  boolean published() {
    return door != Door.DROP_FOLDER;
  }
}
