package dev.parley.transforms.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * The kept stretches of a track laid end to end: converts between a frame of the original recording and a
 * position in the audio actually sent.
 */
final class KeptTimeline {
  private final List<FrameSpan> spans;
  private final long[] keptStart;

  KeptTimeline(List<FrameSpan> spans) {
    this.spans = List.copyOf(spans);
    this.keptStart = new long[spans.size() + 1];
    for (int i = 0; i < spans.size(); i++) {
      keptStart[i + 1] = keptStart[i] + spans.get(i).length();
    }
  }

  long length() {
    return keptStart[spans.size()];
  }

  /** Sent position of original frame {@code frame}; a frame in a gap maps to where the gap was cut out. */
  long toKept(long frame) {
    for (int i = 0; i < spans.size(); i++) {
      FrameSpan span = spans.get(i);
      if (frame < span.start()) {
        return keptStart[i];
      }
      if (frame < span.end()) {
        return keptStart[i] + frame - span.start();
      }
    }
    return length();
  }

  /** Original frame of sent position {@code kept}. */
  long toOriginal(long kept) {
    for (int i = 0; i < spans.size(); i++) {
      if (kept < keptStart[i + 1]) {
        return spans.get(i).start() + kept - keptStart[i];
      }
    }
    return spans.isEmpty() ? 0 : spans.get(spans.size() - 1).end();
  }

  /** The silences cut out between kept stretches. */
  List<FrameSpan> gaps() {
    List<FrameSpan> gaps = new ArrayList<>();
    for (int i = 1; i < spans.size(); i++) {
      gaps.add(new FrameSpan(spans.get(i - 1).end(), spans.get(i).start()));
    }
    return gaps;
  }

  /** The kept stretches clipped to original frames {@code [from, to)}. */
  List<FrameSpan> within(long from, long to) {
    List<FrameSpan> out = new ArrayList<>();
    for (FrameSpan span : spans) {
      long start = Math.max(from, span.start());
      long end = Math.min(to, span.end());
      if (start < end) {
        out.add(new FrameSpan(start, end));
      }
    }
    return out;
  }
}
