package dev.parley.transforms.replay;

import dev.parley.model.DeadLetter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a replay sends: one event per call among the selected dead letters (a call split into parts may have
 * several dead letters; the latest one is replayed, since the call is processed whole), and the dead letters
 * that cannot be replayed, with the reason.
 */
public record ReplayPlan(int read, int selected, List<ReplayEvent> events, List<Refused> refused,
    List<DeadLetterFiles.Unreadable> unreadable) {

  /** A selected dead letter that no event can replay. */
  public record Refused(DeadLetter letter, String reason) {}

  public static ReplayPlan of(DeadLetterFiles.Contents contents, ReplaySelection selection) {
    int selected = 0;
    Map<String, ReplayEvent> byCall = new LinkedHashMap<>();
    List<Refused> refused = new ArrayList<>();
    for (DeadLetter letter : contents.letters()) {
      if (!selection.matches(letter)) {
        continue;
      }
      selected++;
      ReplayEvents.Rebuilt rebuilt = ReplayEvents.rebuild(letter);
      if (rebuilt.event() == null) {
        refused.add(new Refused(letter, rebuilt.refusal()));
        continue;
      }
      ReplayEvent event = rebuilt.event();
      String key = event.callId() != null ? event.callId() : ReplayEvents.replayId(letter);
      byCall.merge(key, event, (kept, next) ->
          next.origin().getFailedAt().isAfter(kept.origin().getFailedAt()) ? next : kept);
    }
    return new ReplayPlan(contents.letters().size(), selected, List.copyOf(byCall.values()), refused,
        contents.unreadable());
  }
}
