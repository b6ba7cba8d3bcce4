package dev.parley.tools;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Generated recordings for tests, the demo and the benchmarks: 16-bit PCM WAV with speech-like bursts of
 * tone and noise separated by pauses. Deterministic for a given seed, so each file has a known digest.
 */
public final class SampleAudio {
  private SampleAudio() {}

  /** A mono or stereo 16-bit PCM WAV of {@code seconds}, different for every {@code seed}. */
  public static byte[] wav(double seconds, int sampleRate, int channels, long seed) {
    int frames = (int) Math.round(seconds * sampleRate);
    ByteBuffer pcm = ByteBuffer.allocate(frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
    Random random = new Random(seed);
    double pitch = 120 + random.nextInt(120);
    boolean talking = true;
    int left = sampleRate / 2;
    for (int i = 0; i < frames; i++) {
      if (--left <= 0) {
        talking = !talking;
        left = (int) (sampleRate * (talking ? 0.6 + random.nextDouble() * 1.5 : 0.2 + random.nextDouble() * 0.6));
      }
      double t = i / (double) sampleRate;
      double sample = talking
          ? 0.35 * Math.sin(2 * Math.PI * pitch * t) + 0.15 * Math.sin(2 * Math.PI * pitch * 2.1 * t)
              + 0.05 * (random.nextDouble() - 0.5)
          : 0.002 * (random.nextDouble() - 0.5);
      short value = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sample * Short.MAX_VALUE));
      for (int c = 0; c < channels; c++) {
        pcm.putShort(value);
      }
    }
    return wavFile(pcm.array(), sampleRate, channels, 16, 1);
  }

  /** Wraps sample bytes in a RIFF/WAVE header. */
  public static byte[] wavFile(byte[] data, int sampleRate, int channels, int bitsPerSample, int formatTag) {
    int blockAlign = channels * bitsPerSample / 8;
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes()).putInt(36 + data.length).put("WAVE".getBytes());
    header.put("fmt ".getBytes()).putInt(16).putShort((short) formatTag).putShort((short) channels)
        .putInt(sampleRate).putInt(sampleRate * blockAlign).putShort((short) blockAlign)
        .putShort((short) bitsPerSample);
    header.put("data".getBytes()).putInt(data.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream(44 + data.length);
    out.writeBytes(header.array());
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** A WAV whose header promises twice the audio the file holds: what an interrupted upload leaves. */
  public static byte[] truncatedWav(long seed) {
    byte[] whole = wav(4, 8000, 1, seed);
    return java.util.Arrays.copyOf(whole, whole.length / 2);
  }

  /** Bytes that start like a WAV but whose format chunk is nonsense. */
  public static byte[] corruptWav() {
    byte[] wav = wav(1, 8000, 1, 7);
    ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putShort(22, (short) 0).putInt(24, 0);
    return wav;
  }
}
