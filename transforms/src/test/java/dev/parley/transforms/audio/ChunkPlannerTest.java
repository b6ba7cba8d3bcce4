package dev.parley.transforms.audio;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.parley.tenant.TenantConfig;
import java.util.List;
import org.junit.Test;

public class ChunkPlannerTest {
  private static final int RATE = 8000;

  /** {@code minutes} of a loud tone, silent for 3 s at the end of every 50 s. */
  private static LevelEnvelope toneWithPauses(int minutes) throws Exception {
    long frames = (long) minutes * 60 * RATE;
    PcmStream pcm = new PcmFormat(RATE, 1) {
      private long at;

      @Override
      public int read(short[] buffer) {
        if (at >= frames) {
          return -1;
        }
        int n = (int) Math.min(buffer.length, frames - at);
        for (int i = 0; i < n; i++, at++) {
          buffer[i] = isPause(at) ? 0 : (short) (8000 * Math.sin(at * 0.2));
        }
        return n;
      }

      @Override
      public void close() {}
    };
    return LevelEnvelope.measure(pcm, List.of(AudioTrack.MIX));
  }

  private static boolean isPause(long frame) {
    return frame % (50L * RATE) >= 47L * RATE;
  }

  @Test
  public void cutsLongAudioAtItsPausesIntoOverlappingChunksWithinTheLimit() throws Exception {
    LevelEnvelope envelope = toneWithPauses(50);
    List<FrameSpan> kept = new SilenceTrimmer(TenantConfig.SilenceTrimming.DEFAULT, RATE).keep(envelope, 0);
    assertEquals("one span per stretch of tone", 60, kept.size());
    List<AudioChunk> chunks = new ChunkPlanner(900L * RATE, 5L * RATE).plan(kept, envelope, 0);

    assertEquals(4, chunks.size());
    assertEquals(0, chunks.get(0).ownedFrom());
    assertEquals(envelope.frames(), chunks.get(chunks.size() - 1).ownedTo());
    for (int k = 0; k < chunks.size(); k++) {
      AudioChunk chunk = chunks.get(k);
      assertThat("chunk " + k + " within the limit", chunk.frames(), lessThanOrEqualTo(900L * RATE));
      if (k > 0) {
        long cut = chunk.ownedFrom();
        assertEquals(chunks.get(k - 1).ownedTo(), cut);
        assertTrue("cut at " + cut / RATE + " s falls in a pause", isPause(cut));
        // Both neighbours send the sound around the cut: 2.5 s of sent audio on each side.
        long before = chunks.get(k - 1).spans().get(chunks.get(k - 1).spans().size() - 1).end();
        long after = chunk.spans().get(0).start();
        assertThat("the earlier chunk runs past the cut", before, greaterThan(cut));
        assertThat("the later chunk starts before it", after, lessThan(cut));
        assertThat(new KeptTimeline(kept).toKept(before) - new KeptTimeline(kept).toKept(after),
            greaterThanOrEqualTo(5L * RATE - 1));
      }
    }
  }

  @Test
  public void aShortCallIsOneChunkOwningEverything() throws Exception {
    LevelEnvelope envelope = toneWithPauses(5);
    List<FrameSpan> kept = SilenceTrimmer.whole(envelope);
    List<AudioChunk> chunks = new ChunkPlanner(900L * RATE, 5L * RATE).plan(kept, envelope, 0);
    assertEquals(List.of(new AudioChunk(kept, 0, envelope.frames())), chunks);
  }
}
