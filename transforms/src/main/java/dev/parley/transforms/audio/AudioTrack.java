package dev.parley.transforms.audio;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What one derived file holds of a recording's channels: all of them mixed into one (what the model would do
 * anyway), or a single channel, with the role of whoever speaks on it.
 */
public record AudioTrack(String name, int channel, @Nullable String role) {
  public static final AudioTrack MIX = new AudioTrack("mix", -1, null);

  public static AudioTrack channel(int channel, String role) {
    return new AudioTrack(channel == 0 ? "left" : "right", channel, role);
  }

  /** This track's sample of the frame at {@code offset} (its first channel) in interleaved {@code samples}. */
  int sample(short[] samples, int offset, int channels) {
    if (channel >= 0) {
      return samples[offset + channel];
    }
    int sum = 0;
    for (int c = 0; c < channels; c++) {
      sum += samples[offset + c];
    }
    return sum / channels;
  }
}
