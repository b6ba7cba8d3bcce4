package dev.parley.transforms.audio;

import dev.parley.tenant.TenantConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Which stretches of a track to send: every window louder than the threshold, with padding around it, and the
 * pauses between sounds kept whole when they are shorter than the tenant's minimum silence (a breath or a
 * thinking pause belongs to the speech). Leading and trailing silence go down to the padding. A track with no
 * window above the threshold is kept whole: better to pay for a quiet call than to lose it.
 */
public final class SilenceTrimmer {
  private final double thresholdDb;
  private final long minSilenceFrames;
  private final long paddingFrames;

  public SilenceTrimmer(TenantConfig.SilenceTrimming settings, int sampleRate) {
    this.thresholdDb = settings.thresholdDbfsOrDefault();
    this.minSilenceFrames = (long) settings.minSilenceMillisOrDefault() * sampleRate / 1000;
    this.paddingFrames = (long) settings.paddingMillisOrDefault() * sampleRate / 1000;
  }

  public List<FrameSpan> keep(LevelEnvelope envelope, int track) {
    float[] levels = envelope.levels(track);
    long window = envelope.windowFrames();
    long total = envelope.frames();
    List<FrameSpan> sounds = new ArrayList<>();
    for (int w = 0; w < levels.length; w++) {
      if (levels[w] > thresholdDb) {
        int end = w;
        while (end < levels.length && levels[end] > thresholdDb) {
          end++;
        }
        sounds.add(new FrameSpan(w * window, Math.min(total, end * window)));
        w = end;
      }
    }
    if (sounds.isEmpty()) {
      return List.of(new FrameSpan(0, total));
    }
    List<FrameSpan> kept = new ArrayList<>();
    FrameSpan current = pad(sounds.get(0), total);
    for (FrameSpan sound : sounds.subList(1, sounds.size())) {
      FrameSpan padded = pad(sound, total);
      // A pause shorter than the minimum silence is kept whole: only long silences are worth cutting.
      if (sound.start() - current.end() + paddingFrames < minSilenceFrames || padded.start() <= current.end()) {
        current = new FrameSpan(current.start(), padded.end());
      } else {
        kept.add(current);
        current = padded;
      }
    }
    kept.add(current);
    return kept;
  }

  private FrameSpan pad(FrameSpan sound, long total) {
    return new FrameSpan(Math.max(0, sound.start() - paddingFrames), Math.min(total, sound.end() + paddingFrames));
  }

  /** Everything: for a tenant that turned trimming off. */
  public static List<FrameSpan> whole(LevelEnvelope envelope) {
    return List.of(new FrameSpan(0, envelope.frames()));
  }
}
