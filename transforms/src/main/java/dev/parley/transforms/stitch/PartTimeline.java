package dev.parley.transforms.stitch;

import dev.parley.model.AudioPart;
import dev.parley.model.TimeSpan;
import java.util.List;

/** Maps a time in a part's own audio back to the original recording, through the part's time map. */
final class PartTimeline {
  private final List<TimeSpan> map;

  PartTimeline(AudioPart part) {
    this.map = part.getTimeMap();
  }

  long toOriginal(long derivedMillis) {
    if (map.isEmpty()) {
      return derivedMillis;
    }
    for (TimeSpan span : map) {
      if (derivedMillis < span.derivedEndMillis()) {
        return span.getOriginalStartMillis() + Math.max(0, derivedMillis - span.getDerivedStartMillis());
      }
    }
    return map.get(map.size() - 1).originalEndMillis(); // The model may overshoot the end slightly.
  }
}
