package dev.parley.transforms.audio;

import dev.parley.model.AudioInfo;
import dev.parley.model.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;

/**
 * An Ogg Vorbis or Ogg Opus recording described from two reads: the first page (the codec's identification
 * header: channels, rate, Opus pre-skip) and the file's tail, whose last page's granule position is the
 * stream's length in samples. Reading the tail needs a seekable channel; the audio between is never read.
 */
final class OggHeader {
  /** Opus granule positions always count 48 kHz samples, whatever the input rate. */
  static final int OPUS_GRANULE_RATE = 48_000;
  private static final int TAIL_BYTES = 2 * OggPage.MAX_PAGE;

  private OggHeader() {}

  /** What the first page says: codec, channels, rate; for Opus the samples to skip at the start. */
  record Identification(String codec, int channels, int sampleRate, int preSkip, int serial) {}

  static AudioInfo read(SeekableByteChannel channel, long size) throws IOException, AudioProbeException {
    Identification id = identify(SeekableReads.readAt(channel, 0, (int) Math.min(size, OggPage.MAX_PAGE)));
    long tailStart = Math.max(0, size - TAIL_BYTES);
    long granule = lastGranule(SeekableReads.readAt(channel, tailStart, (int) (size - tailStart)), id.serial());
    long samples = id.codec().equals("OPUS") ? granule - id.preSkip() : granule;
    int granuleRate = id.codec().equals("OPUS") ? OPUS_GRANULE_RATE : id.sampleRate();
    if (samples <= 0) {
      throw new AudioProbeException(ErrorCode.AUDIO_ZERO_DURATION, "Ogg stream holds no audio samples");
    }
    return AudioInfo.builder()
        .setFormat(AudioFormat.OGG.name())
        .setCodec(id.codec())
        .setMimeType(AudioFormat.OGG.mimeType())
        .setDurationMillis(samples * 1000 / granuleRate)
        .setSampleRateHz(id.sampleRate())
        .setChannels(id.channels())
        .setBitsPerSample(null)
        .build();
  }

  /** The codec of the stream whose first page starts {@code head}. */
  static Identification identify(ByteBuffer head) throws AudioProbeException {
    OggPage page = OggPage.parse(head, 0).orElseThrow(() ->
        new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "Ogg file does not start with a valid page"));
    if (page.totalLength() > head.limit()) {
      throw new AudioProbeException(ErrorCode.AUDIO_TRUNCATED, "Ogg file ends inside its first page");
    }
    ByteBuffer packet = head.slice(page.headerLength(), page.bodyLength()).order(ByteOrder.LITTLE_ENDIAN);
    if (startsWith(packet, "OpusHead") && packet.limit() >= 19) {
      int channels = packet.get(9) & 0xff;
      int inputRate = packet.getInt(12);
      checkChannels(channels);
      // The input rate is informational; Opus decodes at 48 kHz (or any divisor the decoder is asked for).
      return new Identification("OPUS", channels, inputRate > 0 ? inputRate : OPUS_GRANULE_RATE,
          packet.getShort(10) & 0xffff, page.serial());
    }
    if (packet.limit() >= 16 && packet.get(0) == 1 && startsWith(packet.slice(1, packet.limit() - 1), "vorbis")) {
      int channels = packet.get(11) & 0xff;
      int rate = packet.getInt(12);
      checkChannels(channels);
      if (rate <= 0) {
        throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "Vorbis header declares a sample rate of " + rate);
      }
      return new Identification("VORBIS", channels, rate, 0, page.serial());
    }
    throw new AudioProbeException(ErrorCode.AUDIO_UNSUPPORTED_FORMAT,
        "the Ogg stream is neither Vorbis nor Opus audio");
  }

  /**
   * The granule position of the stream's last complete page. A last page cut off before its end means an
   * interrupted upload: the stream is truncated. A complete last page without the end-of-stream flag is taken
   * as it is (some recorders never finalise the stream; the audio up to there is whole).
   */
  private static long lastGranule(ByteBuffer tail, int serial) throws AudioProbeException {
    boolean last = true;
    for (int at = tail.limit() - OggPage.FIXED_HEADER; at >= 0; at--) {
      Optional<OggPage> page = OggPage.parse(tail, at);
      if (page.isEmpty() || page.get().serial() != serial) {
        continue;
      }
      if (at + page.get().totalLength() > tail.limit()) {
        if (last) {
          throw new AudioProbeException(ErrorCode.AUDIO_TRUNCATED, "Ogg file ends inside its last page");
        }
        continue; // "OggS" inside a packet's data, not a page.
      }
      last = false;
      if (page.get().granulePosition() != -1) {
        return page.get().granulePosition();
      }
    }
    throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "no Ogg page with a granule position at the end of the file");
  }

  private static void checkChannels(int channels) throws AudioProbeException {
    if (channels < 1 || channels > 8) {
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "Ogg header declares " + channels + " channels");
    }
  }

  private static boolean startsWith(ByteBuffer packet, String magic) {
    if (packet.limit() < magic.length()) {
      return false;
    }
    for (int i = 0; i < magic.length(); i++) {
      if (packet.get(i) != (byte) magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
