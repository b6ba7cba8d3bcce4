package dev.parley.transforms.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a track's kept audio into chunks of at most {@code maxChunkFrames} sent frames, each cut at a quiet
 * moment: the middle of a trimmed-out silence when one lies near the ideal cut, else the quietest window
 * there. Neighbouring chunks both send the {@code overlapFrames} around their cut (half on each side), so a
 * word the cut falls into is heard whole by both; stitching keeps it once, from the chunk that owns its midpoint.
 */
public final class ChunkPlanner {
  /** How far from the ideal cut (in sent time) a quiet moment is looked for, at most. */
  static final double MAX_SEARCH_SECONDS = 30;

  private final long maxChunkFrames;
  private final long overlapFrames;

  public ChunkPlanner(long maxChunkFrames, long overlapFrames) {
    this.maxChunkFrames = maxChunkFrames;
    this.overlapFrames = Math.min(overlapFrames, maxChunkFrames / 4);
  }

  public List<AudioChunk> plan(List<FrameSpan> kept, LevelEnvelope envelope, int track) {
    KeptTimeline timeline = new KeptTimeline(kept);
    long sent = timeline.length();
    long total = envelope.frames();
    if (sent <= maxChunkFrames) {
      return List.of(new AudioChunk(kept, 0, total));
    }
    long budget = maxChunkFrames - overlapFrames;
    int count = (int) ((sent + budget - 1) / budget);
    long ideal = sent / count;
    // Moving a cut changes two chunks: half the slack each way keeps every chunk within its budget.
    long search = Math.min((budget - ideal) / 2, (long) (MAX_SEARCH_SECONDS * envelope.sampleRate()));
    List<Long> cuts = new ArrayList<>();
    cuts.add(0L);
    for (int k = 1; k < count; k++) {
      cuts.add(quietCut(timeline, envelope, track, k * ideal, search));
    }
    cuts.add(total);
    List<AudioChunk> chunks = new ArrayList<>();
    long half = overlapFrames / 2;
    for (int k = 0; k < count; k++) {
      long from = k == 0 ? 0 : timeline.toOriginal(Math.max(0, timeline.toKept(cuts.get(k)) - half));
      long to = k == count - 1 ? total : timeline.toOriginal(Math.min(sent, timeline.toKept(cuts.get(k + 1)) + half));
      chunks.add(new AudioChunk(timeline.within(from, to), cuts.get(k), cuts.get(k + 1)));
    }
    return chunks;
  }

  /** An original-timeline frame near sent position {@code target} where nobody is speaking, if possible. */
  private static long quietCut(KeptTimeline timeline, LevelEnvelope envelope, int track, long target, long search) {
    long best = -1;
    long bestDistance = Long.MAX_VALUE;
    for (FrameSpan gap : timeline.gaps()) {
      long distance = Math.abs(timeline.toKept(gap.start()) - target);
      if (distance <= search && distance < bestDistance) {
        best = gap.start() + gap.length() / 2;
        bestDistance = distance;
      }
    }
    if (best >= 0) {
      return best;
    }
    float[] levels = envelope.levels(track);
    int window = envelope.windowFrames();
    long from = timeline.toOriginal(Math.max(0, target - search));
    long to = timeline.toOriginal(Math.min(timeline.length() - 1, target + search));
    int quietest = (int) (timeline.toOriginal(target) / window);
    for (int w = (int) (from / window); w <= to / window && w < levels.length; w++) {
      if (levels[w] < levels[quietest]) {
        quietest = w;
      }
    }
    return (long) quietest * window + window / 2;
  }
}
