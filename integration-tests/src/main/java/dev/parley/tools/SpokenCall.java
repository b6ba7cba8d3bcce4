package dev.parley.tools;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated phone call with known speech: turns of 5 to 20 seconds (voiced syllables, with a breath of about
 * half a second every three seconds) separated by silences of faint line noise, two speakers taking turns, written as a 16-bit
 * PCM WAV, streamed so an hour costs no memory. Mono holds both speakers; stereo puts each on its own channel
 * (the agent left, the customer right), silent while the other talks. The spans of speech are returned, so a
 * test can check that trimming kept every one of them.
 */
public final class SpokenCall {
  /** Where each utterance lies, in milliseconds, and which channel spoke it (0 left or mono, 1 right). */
  public record Utterance(int channel, long startMillis, long endMillis) {}

  private final double seconds;
  private final int sampleRate;
  private final int channels;
  private final double silenceShare;
  private final long seed;

  /**
   * @param silenceShare the part of the call between utterances, on average (0.3: 30% silence)
   */
  public SpokenCall(double seconds, int sampleRate, int channels, double silenceShare, long seed) {
    this.seconds = seconds;
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.silenceShare = silenceShare;
    this.seed = seed;
  }

  /** Writes the call to {@code file}; returns its utterances in order. It starts and ends with speech. */
  public List<Utterance> write(Path file) throws IOException {
    Random random = new Random(seed);
    long frames = Math.round(seconds * sampleRate);
    List<Utterance> utterances = plan(random, frames);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      out.write(SampleAudio.wavFile(new byte[0], sampleRate, channels, 16, 1)); // sizes patched at the end
      ByteBuffer block = ByteBuffer.allocate(channels * 2 * 4096).order(ByteOrder.LITTLE_ENDIAN);
      int next = 0;
      double phase = 0;
      double pitch = 140;
      for (long f = 0; f < frames; f++) {
        long millis = f * 1000 / sampleRate;
        while (next < utterances.size() && utterances.get(next).endMillis() <= millis) {
          next++;
          pitch = 110 + random.nextInt(140);
        }
        Utterance current = next < utterances.size() && utterances.get(next).startMillis() <= millis
            ? utterances.get(next) : null;
        double t = f / (double) sampleRate;
        double voice = 0;
        if (current != null) {
          phase += 2 * Math.PI * pitch * (1 + 0.05 * Math.sin(2 * Math.PI * 3 * t)) / sampleRate;
          double sinceStart = t - current.startMillis() / 1000.0;
          double syllable = Math.pow(Math.sin(Math.PI * 4.5 * sinceStart), 2);
          double untilEnd = current.endMillis() / 1000.0 - t;
          // Breaths inside a turn only: a turn starts and ends with voice, so its span is its speech.
          boolean breath = sinceStart > 0.7 && untilEnd > 0.7 && Math.sin(2 * Math.PI * sinceStart / 3.1 + 1.2) < -0.85;
          voice = breath ? 0 : syllable * (0.3 * Math.sin(phase) + 0.15 * Math.sin(2 * phase) + 0.08 * Math.sin(3.3 * phase));
        }
        double noise = 0.0015 * (random.nextDouble() - 0.5);
        for (int c = 0; c < channels; c++) {
          boolean speaks = current != null && (channels == 1 || current.channel() == c);
          block.putShort((short) Math.round(((speaks ? voice : 0) + noise) * Short.MAX_VALUE));
        }
        if (!block.hasRemaining()) {
          out.write(block.array(), 0, block.position());
          block.clear();
        }
      }
      out.write(block.array(), 0, block.position());
    }
    patchSizes(file, frames * channels * 2);
    return utterances;
  }

  private List<Utterance> plan(Random random, long frames) {
    long total = frames * 1000 / sampleRate;
    double meanSpeech = 12.5;
    double meanSilence = meanSpeech * silenceShare / (1 - silenceShare);
    List<Utterance> utterances = new ArrayList<>();
    long at = 0;
    int speaker = 0;
    while (at < total) {
      long length = Math.round((5 + random.nextDouble() * 15) * 1000);
      long end = Math.min(total, at + length);
      utterances.add(new Utterance(channels == 1 ? 0 : speaker, at, end));
      speaker = 1 - speaker;
      long pause = Math.round(meanSilence * (0.35 + random.nextDouble() * 1.3) * 1000);
      at = end + pause;
      if (at >= total - 1500) {
        // End on speech: stretch the last utterance to the end of the call.
        Utterance last = utterances.remove(utterances.size() - 1);
        utterances.add(new Utterance(last.channel(), last.startMillis(), total));
        break;
      }
    }
    return utterances;
  }

  private static void patchSizes(Path file, long dataBytes) throws IOException {
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
        java.nio.file.StandardOpenOption.WRITE)) {
      ByteBuffer size = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      channel.write(size.putInt(0, (int) (dataBytes + 36)), 4);
      channel.write(size.putInt(0, (int) dataBytes).rewind(), 40);
    }
  }
}
