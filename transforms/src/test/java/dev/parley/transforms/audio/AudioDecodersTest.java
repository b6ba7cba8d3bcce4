package dev.parley.transforms.audio;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;

import dev.parley.model.AudioInfo;
import dev.parley.transforms.TestWavs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.Test;

/**
 * Every decoder on the fixtures, whose sound (a tone) lies between 0.5 s and 1.5 s: the decoded audio must be
 * loud there and silent around it, at the stream's rate and channel count, for the whole duration.
 */
public class AudioDecodersTest {
  /** Per 100 ms: RMS in dBFS of the first channel. */
  private static double[] levels(byte[] file, int[] rateAndChannels, long[] frames) throws Exception {
    AudioInfo info = AudioProbe.probe(new BytesChannel(file), file.length);
    try (PcmStream pcm = AudioDecoders.open(info, new BytesChannel(file))) {
      rateAndChannels[0] = pcm.sampleRate();
      rateAndChannels[1] = pcm.channels();
      int window = pcm.sampleRate() / 10;
      double[] out = new double[40];
      double sum = 0;
      long frame = 0;
      short[] buffer = new short[4096 * pcm.channels()];
      for (int n; (n = pcm.read(buffer)) >= 0; ) {
        for (int i = 0; i < n; i += pcm.channels()) {
          sum += (double) buffer[i] * buffer[i];
          if (++frame % window == 0 && frame / window <= out.length) {
            out[(int) (frame / window - 1)] = 10 * Math.log10(sum / window / (32768.0 * 32768.0) + 1e-12);
            sum = 0;
          }
        }
      }
      frames[0] = frame;
      return out;
    }
  }

  private static void assertDecodes(String name, byte[] file, int rate, int channels) throws Exception {
    int[] format = new int[2];
    long[] frames = new long[1];
    double[] db = levels(file, format, frames);
    assertEquals(name, rate, format[0]);
    assertEquals(name, channels, format[1]);
    // MP3 decoders also play the encoder's delay and the tag frame: up to about 130 ms more at the start.
    assertEquals(name + " decoded frames", 2.0 * rate, frames[0], (name.endsWith(".mp3") ? 0.15 : 0.02) * rate);
    for (int w = 0; w < 20; w++) {
      double ms = w * 100 + 50;
      if (ms > 700 && ms < 1300) {
        assertThat(name + " at " + ms + " ms", db[w], greaterThan(-20.0));
      } else if (ms < 350 || ms > 1650) {
        assertThat(name + " at " + ms + " ms", db[w], lessThan(-50.0));
      }
    }
  }

  @Test
  public void decodesEveryFormatToTimeAlignedPcm() throws Exception {
    assertDecodes("tone.flac", AudioProbeTest.fixture("tone.flac"), 8000, 1);
    assertDecodes("tone-cbr.mp3", AudioProbeTest.fixture("tone-cbr.mp3"), 16000, 1);
    assertDecodes("tone-vbr.mp3", AudioProbeTest.fixture("tone-vbr.mp3"), 16000, 1);
    assertDecodes("tone-stereo.mp3", AudioProbeTest.fixture("tone-stereo.mp3"), 16000, 2);
    assertDecodes("tone-vorbis.ogg", AudioProbeTest.fixture("tone-vorbis.ogg"), 16000, 1);
    assertDecodes("tone-opus.ogg", AudioProbeTest.fixture("tone-opus.ogg"), 16000, 1);
    assertDecodes("tone.m4a", AudioProbeTest.fixture("tone.m4a"), 16000, 1);
    assertDecodes("tone-mulaw.wav", AudioProbeTest.fixture("tone-mulaw.wav"), 8000, 1);
  }

  @Test
  public void decodesEveryWavCodec() throws Exception {
    for (int[] codec : new int[][] {{1, 16}, {1, 8}, {1, 24}, {1, 32}, {3, 32}, {3, 64}, {7, 8}, {6, 8}}) {
      byte[] wav = toneWav(codec[0], codec[1]);
      assertDecodes("WAV format " + codec[0] + "/" + codec[1] + " bits", wav, 8000, 1);
    }
  }

  /** The fixtures' signal (tone from 0.5 s to 1.5 s of 2 s) at 8 kHz, coded as {@code formatTag}/{@code bits}. */
  static byte[] toneWav(int formatTag, int bits) {
    int frames = 16000;
    byte[] wav = TestWavs.wav(formatTag, 1, 8000, bits, frames);
    int bytes = (bits + 7) / 8;
    ByteBuffer data = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    int offset = wav.length - frames * bytes;
    for (int i = 0; i < frames; i++) {
      double t = i / 8000.0;
      double x = t >= 0.5 && t < 1.5 ? 0.4 * Math.sin(2 * Math.PI * 300 * t) : 0;
      int at = offset + i * bytes;
      switch (formatTag * 100 + bits) {
        case 116 -> data.putShort(at, (short) (x * 32767));
        case 108 -> data.put(at, (byte) (128 + Math.round(x * 127)));
        case 124 -> {
          int v = (int) (x * 8_388_607);
          data.put(at, (byte) v).put(at + 1, (byte) (v >> 8)).put(at + 2, (byte) (v >> 16));
        }
        case 132 -> data.putInt(at, (int) (x * Integer.MAX_VALUE));
        case 332 -> data.putFloat(at, (float) x);
        case 364 -> data.putDouble(at, x);
        case 708 -> data.put(at, G711.mulaw((short) (x * 32767)));
        case 608 -> data.put(at, G711.alaw((short) (x * 32767)));
        default -> throw new IllegalArgumentException();
      }
    }
    return wav;
  }
}
