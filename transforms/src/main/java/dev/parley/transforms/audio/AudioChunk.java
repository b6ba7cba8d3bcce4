package dev.parley.transforms.audio;

import java.util.List;

/**
 * One chunk of a track: the stretches it sends, in order, and the part of the original timeline it answers for
 * (its owned range, without the overlap it shares with the chunk before).
 */
public record AudioChunk(List<FrameSpan> spans, long ownedFrom, long ownedTo) {
  public long frames() {
    long frames = 0;
    for (FrameSpan span : spans) {
      frames += span.length();
    }
    return frames;
  }
}
