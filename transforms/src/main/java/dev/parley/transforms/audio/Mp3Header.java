package dev.parley.transforms.audio;

import dev.parley.model.AudioInfo;
import dev.parley.model.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The duration of an MP3 from its headers: the frame count of a Xing/Info or VBRI tag in the first frame when
 * there is one; else, when the first frames share a bitrate (CBR), the audio bytes over the bitrate; else a
 * scan of the frame headers (skipping the frame bodies). Hand-written because the MP3 decoder's own reader
 * (mp3spi) estimates a VBR file's duration from its first frame's bitrate and knows no VBRI tag; the frame
 * header itself is four bytes.
 */
final class Mp3Header {
  /** Where the first frame must start after any ID3v2 tag; beyond this the file is not taken for MP3. */
  private static final int MAX_SYNC_SEARCH = 64 * 1024;
  /** Frames compared to call a stream constant-bitrate. */
  private static final int CBR_PROBE_FRAMES = 8;
  private static final int ID3V1_BYTES = 128;

  private Mp3Header() {}

  static AudioInfo read(SeekableByteChannel channel, long size) throws IOException, AudioProbeException {
    long audioStart = id3v2End(channel, size);
    ByteBuffer head = SeekableReads.readAt(channel, audioStart, (int) Math.min(MAX_SYNC_SEARCH, size - audioStart));
    int first = firstFrame(head);
    MpegFrameHeader frame = MpegFrameHeader.parse(head, first).orElseThrow();
    long frameStart = audioStart + first;
    long audioEnd = hasId3v1(channel, size) ? size - ID3V1_BYTES : size;
    long frames = taggedFrameCount(channel, frameStart, frame, size);
    if (frames < 0) {
      frames = isConstantBitrate(channel, frameStart, frame, audioEnd)
          ? (audioEnd - frameStart) / Math.max(1, frame.frameLength())
          : scanFrames(channel, frameStart, frame, audioEnd);
    }
    if (frames <= 0) {
      throw new AudioProbeException(ErrorCode.AUDIO_ZERO_DURATION, "MP3 stream holds no audio frames");
    }
    return AudioInfo.builder()
        .setFormat(AudioFormat.MP3.name())
        .setCodec("MP3")
        .setMimeType(AudioFormat.MP3.mimeType())
        .setDurationMillis(frames * frame.samplesPerFrame() * 1000 / frame.sampleRate())
        .setSampleRateHz(frame.sampleRate())
        .setChannels(frame.channels())
        .setBitsPerSample(null)
        .build();
  }

  /** The end of a leading ID3v2 tag (0 without one); its size is a 28-bit "syncsafe" integer. */
  private static long id3v2End(SeekableByteChannel channel, long size) throws IOException, AudioProbeException {
    ByteBuffer tag = SeekableReads.readAt(channel, 0, 10);
    if (tag.limit() < 10 || !"ID3".equals(ascii(tag, 0, 3))) {
      return 0;
    }
    long tagSize = ((tag.get(6) & 0x7f) << 21) | ((tag.get(7) & 0x7f) << 14) | ((tag.get(8) & 0x7f) << 7)
        | (tag.get(9) & 0x7f);
    boolean footer = (tag.get(5) & 0x10) != 0;
    long end = 10 + tagSize + (footer ? 10 : 0);
    if (end >= size) {
      throw new AudioProbeException(ErrorCode.AUDIO_TRUNCATED, "MP3 file ends inside its ID3v2 tag");
    }
    return end;
  }

  /** The first frame whose successor also parses: one valid-looking header alone is often noise. */
  private static int firstFrame(ByteBuffer head) throws AudioProbeException {
    for (int at = 0; at + 4 <= head.limit(); at++) {
      Optional<MpegFrameHeader> frame = MpegFrameHeader.parse(head, at);
      if (frame.isEmpty()) {
        continue;
      }
      int next = at + frame.get().frameLength();
      if (next + 4 > head.limit()) {
        return at; // The only frame there is.
      }
      Optional<MpegFrameHeader> following = MpegFrameHeader.parse(head, next);
      if (following.isPresent() && following.get().sameStream(frame.get())) {
        return at;
      }
    }
    throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "no MPEG audio frame in the first "
        + head.limit() + " bytes of the MP3 stream");
  }

  /** Frames of the stream as a Xing/Info or VBRI tag counts them, or -1 without a tag. */
  private static long taggedFrameCount(SeekableByteChannel channel, long frameStart, MpegFrameHeader frame, long size)
      throws IOException, AudioProbeException {
    ByteBuffer body = SeekableReads.readAt(channel, frameStart, Math.max(frame.frameLength(), 64));
    int xing = frame.xingOffset();
    String id = body.limit() >= xing + 8 ? ascii(body, xing, 4) : "";
    if (id.equals("Xing") || id.equals("Info")) {
      int flags = body.getInt(xing + 4);
      int at = xing + 8;
      long frames = -1;
      if ((flags & 1) != 0 && body.limit() >= at + 4) {
        frames = body.getInt(at) & 0xffffffffL;
        at += 4;
      }
      if ((flags & 2) != 0 && body.limit() >= at + 4) {
        checkDeclaredBytes(frameStart, body.getInt(at) & 0xffffffffL, size);
      }
      return frames;
    }
    if (body.limit() >= 36 + 18 && "VBRI".equals(ascii(body, 36, 4))) {
      checkDeclaredBytes(frameStart, body.getInt(36 + 10) & 0xffffffffL, size);
      return body.getInt(36 + 14) & 0xffffffffL;
    }
    return -1;
  }

  private static void checkDeclaredBytes(long frameStart, long declared, long size) throws AudioProbeException {
    // A little slack: encoders differ on whether the count includes the tag frame and trailing tags.
    if (declared > 0 && frameStart + declared > size + 1024) {
      throw new AudioProbeException(ErrorCode.AUDIO_TRUNCATED, "MP3 header declares " + declared
          + " bytes of audio but the file holds " + (size - frameStart));
    }
  }

  private static boolean isConstantBitrate(SeekableByteChannel channel, long frameStart, MpegFrameHeader frame,
      long audioEnd) throws IOException {
    long at = frameStart;
    for (int i = 0; i < CBR_PROBE_FRAMES && at + 4 <= audioEnd; i++) {
      Optional<MpegFrameHeader> next = MpegFrameHeader.parse(SeekableReads.readAt(channel, at, 4), 0);
      if (next.isEmpty() || next.get().bitrateKbps() != frame.bitrateKbps()) {
        return false;
      }
      at += next.get().frameLength();
    }
    return true;
  }

  /** Counts frames by their headers; a scan that loses sync stops there (trailing junk or a cut-off frame). */
  private static long scanFrames(SeekableByteChannel channel, long frameStart, MpegFrameHeader first, long audioEnd)
      throws IOException {
    long frames = 0;
    long at = frameStart;
    ByteBuffer window = ByteBuffer.allocate(0);
    long windowStart = 0;
    while (at + 4 <= audioEnd) {
      if (at < windowStart || at + 4 > windowStart + window.limit()) {
        window = SeekableReads.readAt(channel, at, (int) Math.min(256 * 1024, audioEnd - at));
        windowStart = at;
      }
      Optional<MpegFrameHeader> frame = MpegFrameHeader.parse(window, (int) (at - windowStart));
      if (frame.isEmpty() || !frame.get().sameStream(first)) {
        break;
      }
      frames++;
      at += frame.get().frameLength();
    }
    return frames;
  }

  private static boolean hasId3v1(SeekableByteChannel channel, long size) throws IOException {
    return size >= ID3V1_BYTES && "TAG".equals(ascii(SeekableReads.readAt(channel, size - ID3V1_BYTES, 3), 0, 3));
  }

  private static String ascii(ByteBuffer buffer, int at, int length) {
    byte[] bytes = new byte[length];
    buffer.get(at, bytes);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
