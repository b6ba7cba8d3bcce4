package dev.parley.transforms.audio;

import dev.parley.model.AudioInfo;
import dev.parley.model.ErrorCode;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a RIFF/WAVE header up to the start of the {@code data} chunk, and no further: duration comes from
 * the data size and the block rate, so the probe costs a few hundred bytes however long the call is.
 * Handles PCM (8 to 32 bit), IEEE float, A-law, µ-law and WAVE_FORMAT_EXTENSIBLE.
 */
public final class WavHeader {
  private static final int WAVE_FORMAT_PCM = 0x0001;
  private static final int WAVE_FORMAT_IEEE_FLOAT = 0x0003;
  private static final int WAVE_FORMAT_ALAW = 0x0006;
  private static final int WAVE_FORMAT_MULAW = 0x0007;
  private static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;
  /** Writers that stream (and crash) leave the size unknown; the file's remainder is then the data. */
  private static final long SIZE_UNKNOWN = 0xFFFFFFFFL;
  /** Chunks before {@code data} worth skipping; beyond this the header is treated as corrupt. */
  private static final long MAX_HEADER_BYTES = 16L << 20;

  private final int formatTag;
  private final int channels;
  private final int sampleRate;
  private final int blockAlign;
  private final int bitsPerSample;
  private final long dataOffset;
  private final long dataBytes;

  private WavHeader(int formatTag, int channels, int sampleRate, int blockAlign, int bitsPerSample,
      long dataOffset, long dataBytes) {
    this.formatTag = formatTag;
    this.channels = channels;
    this.sampleRate = sampleRate;
    this.blockAlign = blockAlign;
    this.bitsPerSample = bitsPerSample;
    this.dataOffset = dataOffset;
    this.dataBytes = dataBytes;
  }

  /**
   * Parses the header from {@code in}, positioned at the first byte of the file.
   *
   * @param fileSize the object's size, to detect truncation without reading the data
   */
  public static WavHeader read(InputStream in, long fileSize) throws IOException, AudioProbeException {
    try {
      byte[] riff = in.readNBytes(12);
      if (riff.length < 12) {
        throw new AudioProbeException(ErrorCode.AUDIO_TRUNCATED, "WAV file ends inside its RIFF header");
      }
      long position = 12;
      Integer formatTag = null;
      int channels = 0;
      int sampleRate = 0;
      int blockAlign = 0;
      int bits = 0;
      while (position < MAX_HEADER_BYTES) {
        byte[] chunkHeader = in.readNBytes(8);
        if (chunkHeader.length < 8) {
          throw new AudioProbeException(ErrorCode.AUDIO_TRUNCATED,
              formatTag == null ? "WAV file ends before its fmt chunk" : "WAV file ends before its data chunk");
        }
        position += 8;
        String id = new String(chunkHeader, 0, 4, java.nio.charset.StandardCharsets.US_ASCII);
        long size = ByteBuffer.wrap(chunkHeader, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        if (id.equals("fmt ")) {
          if (size < 16 || size > 1024) {
            throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "WAV fmt chunk has an impossible size " + size);
          }
          byte[] fmtBytes = in.readNBytes((int) size);
          if (fmtBytes.length < size) {
            throw new AudioProbeException(ErrorCode.AUDIO_TRUNCATED, "WAV file ends inside its fmt chunk");
          }
          ByteBuffer fmt = ByteBuffer.wrap(fmtBytes).order(ByteOrder.LITTLE_ENDIAN);
          formatTag = fmt.getShort(0) & 0xFFFF;
          channels = fmt.getShort(2) & 0xFFFF;
          sampleRate = fmt.getInt(4);
          blockAlign = fmt.getShort(12) & 0xFFFF;
          bits = fmt.getShort(14) & 0xFFFF;
          if (formatTag == WAVE_FORMAT_EXTENSIBLE && size >= 26) {
            formatTag = fmt.getShort(24) & 0xFFFF; // The sub-format GUID starts with the real format tag.
          }
          position += size;
        } else if (id.equals("data")) {
          if (formatTag == null) {
            throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "WAV data chunk comes before any fmt chunk");
          }
          long remaining = Math.max(0, fileSize - position);
          long dataBytes = size;
          if (size == SIZE_UNKNOWN) {
            dataBytes = remaining;
          } else if (size > remaining) {
            throw new AudioProbeException(ErrorCode.AUDIO_TRUNCATED, "WAV data chunk declares " + size
                + " bytes but the file holds " + remaining + " after the header");
          }
          return new WavHeader(formatTag, channels, sampleRate, blockAlign, bits, position, dataBytes);
        } else {
          long skip = size + (size & 1); // Chunks are word-aligned.
          if (position + skip > fileSize) {
            throw new AudioProbeException(ErrorCode.AUDIO_TRUNCATED, "WAV file ends inside its '" + printable(id) + "' chunk");
          }
          in.skipNBytes(skip);
          position += skip;
        }
      }
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "WAV header is longer than " + MAX_HEADER_BYTES + " bytes");
    } catch (EOFException e) {
      throw new AudioProbeException(ErrorCode.AUDIO_TRUNCATED, "WAV file ends inside its header");
    }
  }

  /** Checks the fields and describes the audio. */
  public AudioInfo toAudioInfo() throws AudioProbeException {
    String codec = codec();
    if (channels < 1 || channels > 32) {
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "WAV header declares " + channels + " channels");
    }
    if (sampleRate < 1000 || sampleRate > 384_000) {
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "WAV header declares a sample rate of " + sampleRate + " Hz");
    }
    int expectedAlign = channels * ((bitsPerSample + 7) / 8);
    if (blockAlign != expectedAlign) {
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "WAV block alignment " + blockAlign
          + " does not match " + channels + " channels of " + bitsPerSample + " bits");
    }
    long frames = dataBytes / blockAlign;
    if (frames == 0) {
      throw new AudioProbeException(ErrorCode.AUDIO_ZERO_DURATION, "WAV data chunk holds no samples");
    }
    return AudioInfo.builder()
        .setFormat(AudioFormat.WAV.name())
        .setCodec(codec)
        .setMimeType(AudioFormat.WAV.mimeType())
        .setDurationMillis(frames * 1000L / sampleRate)
        .setSampleRateHz(sampleRate)
        .setChannels(channels)
        .setBitsPerSample(bitsPerSample)
        .build();
  }

  public long dataOffset() {
    return dataOffset;
  }

  public long dataBytes() {
    return dataBytes;
  }

  private String codec() throws AudioProbeException {
    switch (formatTag) {
      case WAVE_FORMAT_PCM:
        if (bitsPerSample == 8) {
          return "PCM_U8";
        }
        if (bitsPerSample == 16 || bitsPerSample == 24 || bitsPerSample == 32) {
          return "PCM_S" + bitsPerSample + "LE";
        }
        throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "WAV PCM with " + bitsPerSample + " bits per sample");
      case WAVE_FORMAT_IEEE_FLOAT:
        if (bitsPerSample == 32 || bitsPerSample == 64) {
          return "PCM_F" + bitsPerSample + "LE";
        }
        throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "WAV float with " + bitsPerSample + " bits per sample");
      case WAVE_FORMAT_ALAW:
        return "ALAW";
      case WAVE_FORMAT_MULAW:
        return "MULAW";
      default:
        throw new AudioProbeException(ErrorCode.AUDIO_UNSUPPORTED_FORMAT,
            String.format("WAV codec 0x%04x is not supported", formatTag));
    }
  }

  private static String printable(String id) {
    return id.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
