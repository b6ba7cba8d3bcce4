package dev.parley.transforms.audio;

import dev.parley.model.AudioInfo;
import dev.parley.model.ErrorCode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Describes a recording from its first bytes: container by magic number, then that container's header.
 * Reads only the header, never the audio.
 */
public final class AudioProbe {
  private AudioProbe() {}

  /**
   * @param in the recording from its first byte; not closed here
   * @param sizeBytes the object's size
   */
  public static AudioInfo probe(InputStream in, long sizeBytes) throws IOException, AudioProbeException {
    if (sizeBytes == 0) {
      throw new AudioProbeException(ErrorCode.AUDIO_EMPTY, "the recording is empty (0 bytes)");
    }
    BufferedInputStream buffered = new BufferedInputStream(in, 8192);
    buffered.mark(AudioFormat.SNIFF_BYTES);
    byte[] head = buffered.readNBytes(AudioFormat.SNIFF_BYTES);
    buffered.reset();
    Optional<AudioFormat> format = AudioFormat.sniff(head, head.length);
    if (format.isEmpty()) {
      throw new AudioProbeException(ErrorCode.AUDIO_UNSUPPORTED_FORMAT,
          "the bytes are not WAV, FLAC, MP3, OGG, M4A or WebM audio");
    }
    if (format.get() == AudioFormat.WAV) {
      return WavHeader.read(buffered, sizeBytes).toAudioInfo();
    }
    throw new AudioProbeException(ErrorCode.AUDIO_UNSUPPORTED_FORMAT,
        format.get() + " recordings are recognised but not yet accepted; convert them to WAV");
  }
}
