package dev.parley.transforms.audio;

import dev.parley.model.AudioInfo;
import dev.parley.model.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;

/**
 * Describes a recording from its headers: container by magic number, then that container's header, and for
 * formats that keep their length at the end (Ogg) a read of the tail. Never reads the audio itself.
 */
public final class AudioProbe {
  private AudioProbe() {}

  /**
   * @param channel the recording; positioned as needed, not closed here
   * @param sizeBytes the object's size
   */
  public static AudioInfo probe(SeekableByteChannel channel, long sizeBytes) throws IOException, AudioProbeException {
    if (sizeBytes == 0) {
      throw new AudioProbeException(ErrorCode.AUDIO_EMPTY, "the recording is empty (0 bytes)");
    }
    ByteBuffer head = SeekableReads.readAt(channel, 0, AudioFormat.SNIFF_BYTES);
    Optional<AudioFormat> format = AudioFormat.sniff(head.array(), head.limit());
    if (format.isEmpty()) {
      throw new AudioProbeException(ErrorCode.AUDIO_UNSUPPORTED_FORMAT,
          "the bytes are not WAV, FLAC, MP3, OGG, M4A or WebM audio");
    }
    switch (format.get()) {
      case WAV:
        return WavHeader.read(SeekableReads.streamFrom(channel, 0), sizeBytes).toAudioInfo();
      case FLAC:
        return FlacHeader.read(SeekableReads.streamFrom(channel, 0));
      case MP3:
        return Mp3Header.read(channel, sizeBytes);
      case OGG:
        return OggHeader.read(channel, sizeBytes);
      case M4A:
        return Mp4Header.read(channel, sizeBytes);
      default:
        throw new AudioProbeException(ErrorCode.AUDIO_UNSUPPORTED_FORMAT,
            format.get() + " recordings are recognised but not accepted; convert them to WAV, FLAC, MP3, OGG or M4A");
    }
  }
}
