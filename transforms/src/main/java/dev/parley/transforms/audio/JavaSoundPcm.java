package dev.parley.transforms.audio;

import java.io.IOException;
import java.io.InputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.UnsupportedAudioFileException;
import javax.sound.sampled.spi.AudioFileReader;
import javax.sound.sampled.spi.FormatConversionProvider;

/**
 * Decoding through a Java Sound service provider pair (a file reader and a converter to PCM): MP3 with mp3spi
 * (JLayer), FLAC with JFLAC. The providers are called directly, not looked
 * up through {@code AudioSystem}: the container is already known, and some readers claim streams that are
 * not theirs.
 */
final class JavaSoundPcm extends PcmFormat {
  private final AudioInputStream pcm;
  private final int channels;
  private byte[] raw = new byte[0];

  private JavaSoundPcm(AudioInputStream pcm) {
    super(Math.round(pcm.getFormat().getSampleRate()), pcm.getFormat().getChannels());
    this.pcm = pcm;
    this.channels = pcm.getFormat().getChannels();
  }

  static JavaSoundPcm open(InputStream in, AudioFileReader reader, FormatConversionProvider converter)
      throws IOException, UnsupportedAudioFileException {
    AudioInputStream coded = reader.getAudioInputStream(in);
    AudioFormat source = coded.getFormat();
    AudioFormat target = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, source.getSampleRate(), 16,
        source.getChannels(), source.getChannels() * 2, source.getSampleRate(), false);
    return new JavaSoundPcm(converter.getAudioInputStream(target, coded));
  }



  @Override
  public int read(short[] buffer) throws IOException {
    int wanted = buffer.length / channels * channels * 2;
    if (raw.length < wanted) {
      raw = new byte[wanted];
    }
    int got = pcm.readNBytes(raw, 0, wanted);
    int samples = got / 2 / channels * channels;
    if (samples == 0) {
      return -1;
    }
    for (int i = 0, b = 0; i < samples; i++, b += 2) {
      buffer[i] = (short) ((raw[b] & 0xff) | (raw[b + 1] << 8));
    }
    return samples;
  }

  @Override
  public void close() throws IOException {
    pcm.close();
  }
}
