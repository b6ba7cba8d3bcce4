package dev.parley.transforms.audio;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.io.IOException;

/**
 * Ogg Opus decoded with Concentus (a pure-Java port of libopus), straight at the rate Parley sends (Opus
 * decodes to any of 8, 12, 16, 24 or 48 kHz at no extra cost), with the stream's pre-skip dropped.
 */
final class OpusPcm extends BlockPcm {
  /** The longest Opus packet is 120 ms. */
  private static final int MAX_PACKET_MILLIS = 120;
  private final OggPacketReader packets;
  private final OpusDecoder decoder;
  private int skip;

  OpusPcm(OggPacketReader packets, int sampleRate, int channels, int preSkip48k) throws IOException {
    super(sampleRate, channels);
    this.packets = packets;
    try {
      this.decoder = new OpusDecoder(sampleRate, channels);
    } catch (OpusException e) {
      throw new IOException("cannot start the Opus decoder: " + e.getMessage(), e);
    }
    this.skip = (int) ((long) preSkip48k * sampleRate / 48_000) * channels;
    packets.next(); // OpusHead
    packets.next(); // OpusTags
  }



  @Override
  protected int nextBlock() throws IOException {
    byte[] packet = packets.next();
    if (packet == null) {
      return -1;
    }
    int maxFrames = sampleRate() * MAX_PACKET_MILLIS / 1000;
    short[] out = ensure(maxFrames * channels());
    int samples;
    try {
      samples = decoder.decode(packet, 0, packet.length, out, 0, maxFrames, false) * channels();
    } catch (OpusException e) {
      throw new IOException("Opus packet cannot be decoded: " + e.getMessage(), e);
    }
    int skipped = Math.min(skip, samples);
    if (skipped > 0) {
      skip -= skipped;
      System.arraycopy(out, skipped, out, 0, samples - skipped);
    }
    return samples - skipped;
  }

  @Override
  public void close() throws IOException {
    packets.close();
  }
}
