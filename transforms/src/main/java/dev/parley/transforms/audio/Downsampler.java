package dev.parley.transforms.audio;

/**
 * Lowers the sample rate by averaging the input samples that fall into each output sample's period (an area,
 * or box, filter): cheap, streaming, any ratio, and enough low-pass for speech that the model resamples to
 * 16 kHz anyway. Produces exactly {@link #outputFrames} samples for a given input length, so a file's header
 * can be written before its samples.
 */
final class Downsampler {
  private final long inRate;
  private final long outRate;
  private long inIndex;
  private long bin;
  private long sum;
  private int count;
  /** The sample completed by the last {@link #push} that returned true, or by {@link #flush}. */
  short last;

  Downsampler(int inRate, int outRate) {
    if (outRate > inRate) {
      throw new IllegalArgumentException("only downsampling: " + inRate + " Hz to " + outRate + " Hz");
    }
    this.inRate = inRate;
    this.outRate = outRate;
  }

  static long outputFrames(long inputFrames, int inRate, int outRate) {
    return inputFrames == 0 ? 0 : (inputFrames - 1) * outRate / inRate + 1;
  }

  /** Takes one input sample; returns true and sets {@link #last} when an output sample is complete. */
  boolean push(int sample) {
    long sampleBin = inIndex++ * outRate / inRate;
    boolean emitted = false;
    if (sampleBin != bin && count > 0) {
      last = (short) (sum / count);
      sum = 0;
      count = 0;
      emitted = true;
    }
    bin = sampleBin;
    sum += sample;
    count++;
    return emitted;
  }

  /** Completes the final output sample; returns false if there was no input since the last one. */
  boolean flush() {
    if (count == 0) {
      return false;
    }
    last = (short) (sum / count);
    count = 0;
    sum = 0;
    return true;
  }
}
