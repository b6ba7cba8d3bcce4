package dev.parley.transforms.audio;

import java.io.IOException;
import java.io.InputStream;

/**
 * The samples of a WAV data chunk as 16-bit PCM: 8-bit unsigned, 16/24/32-bit signed and 32/64-bit float PCM,
 * µ-law and A-law (ITU-T G.711). Decoded here rather than through Java Sound because the header is already
 * parsed, and this is the hot path of telephony audio: a table look-up or a shift per sample.
 */
final class WavPcm extends PcmFormat {
  private static final short[] MULAW = g711Table(true);
  private static final short[] ALAW = g711Table(false);

  private final InputStream in;
  private final String codec;
  private final int channels;
  private final int bytesPerSample;
  private long bytesLeft;
  private byte[] raw = new byte[0];

  /** @param in positioned at the first byte of the data chunk; closed with this stream */
  WavPcm(InputStream in, String codec, int sampleRate, int channels, int bitsPerSample, long dataBytes) {
    super(sampleRate, channels);
    this.in = in;
    this.codec = codec;
    this.channels = channels;
    this.bytesPerSample = (bitsPerSample + 7) / 8;
    this.bytesLeft = dataBytes - dataBytes % ((long) bytesPerSample * channels);
  }



  @Override
  public int read(short[] buffer) throws IOException {
    if (bytesLeft == 0) {
      return -1;
    }
    int frames = (int) Math.min(buffer.length / channels, bytesLeft / ((long) bytesPerSample * channels));
    int wanted = frames * channels * bytesPerSample;
    if (raw.length < wanted) {
      raw = new byte[wanted];
    }
    int got = in.readNBytes(raw, 0, wanted);
    int samples = got / bytesPerSample / channels * channels;
    if (samples == 0) {
      bytesLeft = 0;
      return -1; // The file ended early: the caller compares what it got with what the header promised.
    }
    bytesLeft -= wanted;
    convert(samples, buffer);
    return samples;
  }

  private void convert(int samples, short[] out) {
    switch (codec) {
      case "PCM_S16LE" -> {
        for (int i = 0, b = 0; i < samples; i++, b += 2) {
          out[i] = (short) ((raw[b] & 0xff) | (raw[b + 1] << 8));
        }
      }
      case "PCM_U8" -> {
        for (int i = 0; i < samples; i++) {
          out[i] = (short) (((raw[i] & 0xff) - 128) << 8);
        }
      }
      case "PCM_S24LE", "PCM_S32LE" -> { // The top 16 bits, little-endian: the last two bytes of each sample.
        for (int i = 0, b = bytesPerSample - 2; i < samples; i++, b += bytesPerSample) {
          out[i] = (short) ((raw[b] & 0xff) | (raw[b + 1] << 8));
        }
      }
      case "PCM_F32LE" -> {
        java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
          out[i] = clip(le.getFloat(i * 4));
        }
      }
      case "PCM_F64LE" -> {
        java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
          out[i] = clip(le.getDouble(i * 8));
        }
      }
      case "MULAW", "ALAW" -> {
        short[] table = codec.equals("MULAW") ? MULAW : ALAW;
        for (int i = 0; i < samples; i++) {
          out[i] = table[raw[i] & 0xff];
        }
      }
      default -> throw new IllegalStateException("no WAV decoder for " + codec);
    }
  }

  private static short clip(double value) {
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(value * Short.MAX_VALUE)));
  }

  /** G.711 expansion of every code byte to linear 16-bit PCM. */
  private static short[] g711Table(boolean mulaw) {
    short[] table = new short[256];
    for (int code = 0; code < 256; code++) {
      if (mulaw) {
        int u = ~code & 0xff;
        int magnitude = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
        table[code] = (short) ((u & 0x80) != 0 ? 0x84 - magnitude : magnitude - 0x84);
      } else {
        int a = code ^ 0x55;
        int segment = (a & 0x70) >> 4;
        int magnitude = (a & 0x0f) << 4;
        magnitude = segment == 0 ? magnitude + 8 : (magnitude + 0x108) << (segment - 1);
        table[code] = (short) ((a & 0x80) != 0 ? magnitude : -magnitude);
      }
    }
    return table;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
