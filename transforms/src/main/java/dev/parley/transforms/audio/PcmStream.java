package dev.parley.transforms.audio;

import java.io.Closeable;
import java.io.IOException;

/**
 * Decoded audio as 16-bit signed samples, interleaved by channel, pulled in blocks: however long the recording,
 * only a block is in memory at a time.
 */
public interface PcmStream extends Closeable {
  int sampleRate();

  int channels();

  /**
   * Fills {@code buffer} with up to {@code buffer.length} samples, whole frames only.
   *
   * @return the samples read, 0 only when the buffer is smaller than a frame, or -1 at the end
   */
  int read(short[] buffer) throws IOException;
}
