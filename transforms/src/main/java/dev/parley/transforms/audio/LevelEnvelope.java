package dev.parley.transforms.audio;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The loudness of each track of a recording, per 10 ms window, in dBFS: everything silence trimming and quiet
 * cut points need, measured in one streaming pass. An hour is 360,000 floats a track, where its PCM would be
 * hundreds of megabytes.
 */
public final class LevelEnvelope {
  static final int WINDOWS_PER_SECOND = 100;
  private static final double FULL_SCALE_SQUARED = 32768.0 * 32768.0;
  /** The floor for digital silence, so that the logarithm stays finite. */
  private static final float SILENCE_DB = -120f;

  private final int sampleRate;
  private final int windowFrames;
  private final long frames;
  private final float[][] levels;

  private LevelEnvelope(int sampleRate, int windowFrames, long frames, float[][] levels) {
    this.sampleRate = sampleRate;
    this.windowFrames = windowFrames;
    this.frames = frames;
    this.levels = levels;
  }

  /** Decodes {@code pcm} to its end; does not close it. */
  public static LevelEnvelope measure(PcmStream pcm, List<AudioTrack> tracks) throws IOException {
    int channels = pcm.channels();
    int windowFrames = Math.max(1, pcm.sampleRate() / WINDOWS_PER_SECOND);
    float[][] levels = new float[tracks.size()][1024];
    double[] energy = new double[tracks.size()];
    short[] buffer = new short[8192 / channels * channels];
    long frames = 0;
    int inWindow = 0;
    int window = 0;
    for (int n; (n = pcm.read(buffer)) >= 0; ) {
      for (int at = 0; at < n; at += channels) {
        for (int t = 0; t < tracks.size(); t++) {
          int s = tracks.get(t).sample(buffer, at, channels);
          energy[t] += (double) s * s;
        }
        frames++;
        if (++inWindow == windowFrames) {
          window = close(levels, energy, inWindow, window);
          inWindow = 0;
        }
      }
    }
    if (inWindow > 0) {
      window = close(levels, energy, inWindow, window);
    }
    for (int t = 0; t < levels.length; t++) {
      levels[t] = Arrays.copyOf(levels[t], window);
    }
    return new LevelEnvelope(pcm.sampleRate(), windowFrames, frames, levels);
  }

  private static int close(float[][] levels, double[] energy, int frames, int window) {
    for (int t = 0; t < levels.length; t++) {
      if (window == levels[t].length) {
        levels[t] = Arrays.copyOf(levels[t], window * 2);
      }
      double meanSquare = energy[t] / frames / FULL_SCALE_SQUARED;
      levels[t][window] = meanSquare <= 0 ? SILENCE_DB : Math.max(SILENCE_DB, (float) (10 * Math.log10(meanSquare)));
      energy[t] = 0;
    }
    return window + 1;
  }

  public int sampleRate() {
    return sampleRate;
  }

  /** Frames per window: a hundredth of a second, rounded down. */
  public int windowFrames() {
    return windowFrames;
  }

  /** Frames the decoder produced: the recording's real length, whatever its header said. */
  public long frames() {
    return frames;
  }

  /** Window levels of track {@code track} (in the order the tracks were measured), in dBFS. */
  public float[] levels(int track) {
    return levels[track];
  }

  public long millis(long frames) {
    return frames * 1000 / sampleRate;
  }
}
