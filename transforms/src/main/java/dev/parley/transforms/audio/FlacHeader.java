package dev.parley.transforms.audio;

import dev.parley.model.AudioInfo;
import dev.parley.model.ErrorCode;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.jflac.FLACDecoder;
import org.jflac.metadata.StreamInfo;

/**
 * A FLAC stream's STREAMINFO block, read with JFLAC: the total sample count and the rate give the duration
 * without decoding a frame.
 */
final class FlacHeader {
  private FlacHeader() {}

  static AudioInfo read(InputStream in) throws IOException, AudioProbeException {
    StreamInfo info;
    try {
      info = new FLACDecoder(in).readStreamInfo();
    } catch (EOFException e) {
      throw new AudioProbeException(ErrorCode.AUDIO_TRUNCATED, "FLAC file ends inside its STREAMINFO block");
    } catch (StorageReadException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "FLAC STREAMINFO is unreadable: " + e.getMessage());
    }
    if (info == null || info.getSampleRate() <= 0 || info.getChannels() < 1) {
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "FLAC stream does not start with a valid STREAMINFO block");
    }
    if (info.getTotalSamples() <= 0) {
      // Allowed by the format for live streams; a recording that does not know its length is refused.
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "FLAC STREAMINFO declares no total sample count");
    }
    return AudioInfo.builder()
        .setFormat(AudioFormat.FLAC.name())
        .setCodec("FLAC")
        .setMimeType(AudioFormat.FLAC.mimeType())
        .setDurationMillis(info.getTotalSamples() * 1000 / info.getSampleRate())
        .setSampleRateHz(info.getSampleRate())
        .setChannels(info.getChannels())
        .setBitsPerSample(info.getBitsPerSample())
        .build();
  }
}
