package dev.parley.transforms.audio;

import java.io.IOException;

/**
 * A decoder that makes audio a block at a time (one Opus or Vorbis packet, one AAC frame) and hands it out in
 * whatever sizes the reader asks for.
 */
abstract class BlockPcm extends PcmFormat {
  private short[] block = new short[0];
  private int offset;
  private int available;

  BlockPcm(int sampleRate, int channels) {
    super(sampleRate, channels);
  }

  /** Decodes the next block into a buffer of at least {@code ensure(n)}; returns its samples, or -1 at the end. */
  protected abstract int nextBlock() throws IOException;

  /** The block buffer, grown to {@code samples} if needed; subclasses decode into it. */
  protected final short[] ensure(int samples) {
    if (block.length < samples) {
      block = new short[samples];
    }
    return block;
  }

  @Override
  public final int read(short[] buffer) throws IOException {
    while (available == 0) {
      int samples = nextBlock();
      if (samples < 0) {
        return -1;
      }
      offset = 0;
      available = samples;
    }
    int n = Math.min(available, buffer.length / channels() * channels());
    System.arraycopy(block, offset, buffer, 0, n);
    offset += n;
    available -= n;
    return n;
  }
}
