package dev.parley.transforms;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Hand-built WAV files for probe tests: exact headers, silence as samples. */
public final class TestWavs {
  private TestWavs() {}

  /** A canonical 44-byte-header WAV with {@code frames} zero frames. */
  public static byte[] wav(int formatTag, int channels, int sampleRate, int bits, int frames) {
    return withChunks(formatTag, channels, sampleRate, bits, frames, new byte[0], 16);
  }

  /**
   * A WAV with {@code extraChunks} between fmt and data and a fmt chunk of {@code fmtSize} bytes (18 or 40 for
   * extended and extensible formats).
   */
  public static byte[] withChunks(int formatTag, int channels, int sampleRate, int bits, int frames,
      byte[] extraChunks, int fmtSize) {
    int blockAlign = channels * ((bits + 7) / 8);
    int dataBytes = frames * blockAlign;
    ByteBuffer fmt = ByteBuffer.allocate(fmtSize).order(ByteOrder.LITTLE_ENDIAN);
    fmt.putShort((short) formatTag).putShort((short) channels).putInt(sampleRate)
        .putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) bits);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer head = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    head.put("RIFF".getBytes()).putInt(4 + 8 + fmtSize + extraChunks.length + 8 + dataBytes).put("WAVE".getBytes())
        .put("fmt ".getBytes()).putInt(fmtSize);
    out.writeBytes(head.array());
    out.writeBytes(fmt.array());
    out.writeBytes(extraChunks);
    ByteBuffer dataHead = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    dataHead.put("data".getBytes()).putInt(dataBytes);
    out.writeBytes(dataHead.array());
    out.writeBytes(new byte[dataBytes]);
    return out.toByteArray();
  }

  /** A chunk of any id, padded to an even length as RIFF requires. */
  public static byte[] chunk(String id, int size) {
    ByteBuffer buffer = ByteBuffer.allocate(8 + size + (size & 1)).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(id.getBytes()).putInt(size);
    return buffer.array();
  }
}
