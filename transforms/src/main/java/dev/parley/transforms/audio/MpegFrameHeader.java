package dev.parley.transforms.audio;

import java.nio.ByteBuffer;
import java.util.Optional;

/** One MPEG audio frame header (four bytes): version, layer, bitrate, sample rate, channels, frame length. */
record MpegFrameHeader(int version, int layer, int bitrateKbps, int sampleRate, int channels, int frameLength) {
  static final int MPEG1 = 3;
  private static final int[][] BITRATES = {
      {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // MPEG-1 layer I
      {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384}, // MPEG-1 layer II
      {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}, // MPEG-1 layer III
      {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256}, // MPEG-2/2.5 layer I
      {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}}; // MPEG-2/2.5 layers II and III
  private static final int[][] SAMPLE_RATES = {{11025, 12000, 8000}, {0, 0, 0}, {22050, 24000, 16000},
      {44100, 48000, 32000}};

  /** The header at the buffer's position, if those four bytes are a valid one (free format is not). */
  static Optional<MpegFrameHeader> parse(ByteBuffer buffer, int at) {
    if (at + 4 > buffer.limit()) {
      return Optional.empty();
    }
    int b1 = buffer.get(at) & 0xff;
    int b2 = buffer.get(at + 1) & 0xff;
    int b3 = buffer.get(at + 2) & 0xff;
    int b4 = buffer.get(at + 3) & 0xff;
    int version = (b2 >> 3) & 3;
    int layerBits = (b2 >> 1) & 3;
    int bitrateIndex = b3 >> 4;
    int rateIndex = (b3 >> 2) & 3;
    if (b1 != 0xff || (b2 & 0xe0) != 0xe0 || version == 1 || layerBits == 0 || bitrateIndex == 0
        || bitrateIndex == 15 || rateIndex == 3) {
      return Optional.empty();
    }
    int layer = 4 - layerBits;
    int table = version == MPEG1 ? layer - 1 : (layer == 1 ? 3 : 4);
    int bitrate = BITRATES[table][bitrateIndex];
    int sampleRate = SAMPLE_RATES[version][rateIndex];
    int padding = (b3 >> 1) & 1;
    int channels = (b4 >> 6) == 3 ? 1 : 2;
    int length = layer == 1
        ? (12 * bitrate * 1000 / sampleRate + padding) * 4
        : samplesPerFrame(version, layer) / 8 * bitrate * 1000 / sampleRate + padding;
    return Optional.of(new MpegFrameHeader(version, layer, bitrate, sampleRate, channels, length));
  }

  int samplesPerFrame() {
    return samplesPerFrame(version, layer);
  }

  private static int samplesPerFrame(int version, int layer) {
    if (layer == 1) {
      return 384;
    }
    return layer == 3 && version != MPEG1 ? 576 : 1152;
  }

  /** Where a Xing/Info tag would start, after the header and the layer III side information. */
  int xingOffset() {
    if (version == MPEG1) {
      return 4 + (channels == 1 ? 17 : 32);
    }
    return 4 + (channels == 1 ? 9 : 17);
  }

  /** Whether {@code other} can follow this frame in one stream: the fields a stream never changes. */
  boolean sameStream(MpegFrameHeader other) {
    return version == other.version && layer == other.layer && sampleRate == other.sampleRate;
  }
}
