package dev.parley.transforms.replay;

import java.io.IOException;
import java.util.List;

/** Where a replay's events go: a Pub/Sub topic the job reads, or a file to look at or send later. */
public interface ReplayTarget {
  void send(List<ReplayEvent> events) throws IOException;

  /** The target in words, for the replay's report. */
  String describe();
}
