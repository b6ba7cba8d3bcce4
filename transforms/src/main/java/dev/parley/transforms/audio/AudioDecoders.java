package dev.parley.transforms.audio;

import dev.parley.model.AudioInfo;
import dev.parley.model.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.jcodec.containers.mp4.demuxer.MP4Demuxer;

/** Opens the right decoder for a probed recording; the caller closes the stream, which closes the channel. */
public final class AudioDecoders {
  /** Opus is decoded straight at the rate Parley sends to the model. */
  static final int OPUS_DECODE_RATE = 16_000;

  private AudioDecoders() {}

  /**
   * @param channel the recording from its first byte; closed with the returned stream
   */
  public static PcmStream open(AudioInfo info, SeekableByteChannel channel) throws IOException, AudioProbeException {
    try {
      switch (info.getFormat()) {
        case "WAV": {
          InputStream in = SeekableReads.streamFrom(channel, 0);
          WavHeader header = WavHeader.read(in, channel.size());
          return new WavPcm(in, info.getCodec(), info.getSampleRateHz(), info.getChannels(),
              info.getBitsPerSample(), header.dataBytes());
        }
        case "MP3":
          return JavaSoundPcm.open(SeekableReads.streamFrom(channel, 0),
              new javazoom.spi.mpeg.sampled.file.MpegAudioFileReader(),
              new javazoom.spi.mpeg.sampled.convert.MpegFormatConversionProvider());
        case "FLAC":
          return JavaSoundPcm.open(SeekableReads.streamFrom(channel, 0), new org.jflac.sound.spi.FlacAudioFileReader(),
              new org.jflac.sound.spi.FlacFormatConversionProvider());
        case "OGG":
          if (info.getCodec().equals("VORBIS")) {
            return VorbisPcm.open(new OggPacketReader(SeekableReads.streamFrom(channel, 0)));
          }
          OggHeader.Identification opus = OggHeader.identify(SeekableReads.readAt(channel, 0, OggPage.MAX_PAGE));
          return new OpusPcm(new OggPacketReader(SeekableReads.streamFrom(channel, 0)), OPUS_DECODE_RATE,
              opus.channels(), opus.preSkip());
        case "M4A": {
          channel.position(0);
          MP4Demuxer demuxer = MP4Demuxer.createMP4Demuxer(new JcodecChannel(channel));
          long priming = Mp4Header.primingFrames(demuxer.getMovie(), info.getSampleRateHz());
          return new AacPcm(demuxer, info.getSampleRateHz(), info.getChannels(), priming,
              info.getDurationMillis() * info.getSampleRateHz() / 1000);
        }
        default:
          throw new AudioProbeException(ErrorCode.AUDIO_UNSUPPORTED_FORMAT, "no decoder for " + info.getFormat());
      }
    } catch (UnsupportedAudioFileException e) {
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "the decoder refuses the stream: " + e.getMessage());
    }
  }
}
