package dev.parley.transforms.audio;

/** The rate and channel count every {@link PcmStream} knows before its first sample. */
abstract class PcmFormat implements PcmStream {
  private final int sampleRate;
  private final int channels;

  PcmFormat(int sampleRate, int channels) {
    this.sampleRate = sampleRate;
    this.channels = channels;
  }

  @Override
  public final int sampleRate() {
    return sampleRate;
  }

  @Override
  public final int channels() {
    return channels;
  }
}
