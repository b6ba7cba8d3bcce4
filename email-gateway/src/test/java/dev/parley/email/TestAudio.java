package dev.parley.email;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Small recordings for the gateway's tests, written by the JDK's own WAV writer; distinct for each seed. */
final class TestAudio {
  private static final float RATE = 8000;

  private TestAudio() {}

  /** About {@code seconds} of 8 kHz mono 16-bit noise as a WAV file. */
  static byte[] wav(double seconds, long seed) {
    byte[] pcm = new byte[(int) (seconds * RATE) * 2];
    new Random(seed).nextBytes(pcm);
    AudioFormat format = new AudioFormat(RATE, 16, 1, true, false);
    try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, pcm.length / 2)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
