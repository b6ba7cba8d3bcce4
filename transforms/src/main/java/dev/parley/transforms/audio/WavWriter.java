package dev.parley.transforms.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/**
 * Writes a mono 16-bit PCM WAV whose length is known up front: the header goes first, so the file can be
 * streamed to an object store that cannot seek back.
 */
final class WavWriter implements AutoCloseable {
  static final int HEADER_BYTES = 44;
  private final WritableByteChannel out;
  private final long frames;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
  private long written;

  WavWriter(WritableByteChannel out, int sampleRate, long frames) throws IOException {
    this.out = out;
    this.frames = frames;
    long dataBytes = frames * 2;
    if (dataBytes + HEADER_BYTES - 8 > 0xFFFFFFFFL) {
      throw new IOException("a WAV file holds at most 4 GiB; " + frames + " frames is more");
    }
    buffer.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (dataBytes + HEADER_BYTES - 8))
        .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
        .putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2)
        .putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataBytes);
  }

  static long fileBytes(long frames) {
    return HEADER_BYTES + frames * 2;
  }

  void write(short sample) throws IOException {
    if (!buffer.hasRemaining()) {
      drain();
    }
    buffer.putShort(sample);
    written++;
  }

  private void drain() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
    buffer.clear();
  }

  /** Closes the channel without completing the file. */
  void abort() throws IOException {
    out.close();
  }

  @Override
  public void close() throws IOException {
    try {
      if (written != frames) {
        throw new IllegalStateException("wrote " + written + " frames into a WAV header of " + frames);
      }
      drain();
    } finally {
      out.close();
    }
  }
}
