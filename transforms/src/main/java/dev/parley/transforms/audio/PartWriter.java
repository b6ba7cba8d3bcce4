package dev.parley.transforms.audio;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Writes every planned part of a recording in one decoding pass: each part takes its track's samples inside
 * its spans, downsampled, into its own mono WAV. A part's file is open only from its first span to its last,
 * so memory is a write buffer per open part (two per track where chunks overlap), whatever the call's length.
 */
public final class PartWriter {
  private PartWriter() {}

  /** One derived file to write: which track, which spans of the original, where, at what rate. */
  public record PlannedPart(AudioTrack track, List<FrameSpan> spans, String uri, int outputRate) {}

  /** Decodes {@code pcm} to its end and writes every part; does not close {@code pcm}. */
  public static void write(PcmStream pcm, List<PlannedPart> parts) throws IOException {
    int channels = pcm.channels();
    Output[] outputs = new Output[parts.size()];
    for (int i = 0; i < outputs.length; i++) {
      outputs[i] = new Output(parts.get(i), pcm.sampleRate());
    }
    short[] buffer = new short[8192 / channels * channels];
    long frame = 0;
    try {
      for (int n; (n = pcm.read(buffer)) >= 0; ) {
        long blockEnd = frame + n / channels;
        for (Output output : outputs) {
          output.take(buffer, frame, blockEnd, channels);
        }
        frame = blockEnd;
      }
      for (Output output : outputs) {
        output.finish();
      }
    } finally {
      for (Output output : outputs) {
        output.abandon();
      }
    }
  }

  /** The frames a part's file holds at its output rate. */
  public static long outputFrames(List<FrameSpan> spans, int inputRate, int outputRate) {
    long input = 0;
    for (FrameSpan span : spans) {
      input += span.length();
    }
    return Downsampler.outputFrames(input, inputRate, outputRate);
  }

  private static final class Output {
    private final PlannedPart part;
    private final Downsampler downsampler;
    private final long frames;
    private WavWriter writer;
    private int span;

    Output(PlannedPart part, int inputRate) {
      this.part = part;
      this.downsampler = new Downsampler(inputRate, part.outputRate());
      this.frames = outputFrames(part.spans(), inputRate, part.outputRate());
    }

    void take(short[] samples, long blockStart, long blockEnd, int channels) throws IOException {
      List<FrameSpan> spans = part.spans();
      while (span < spans.size() && spans.get(span).start() < blockEnd) {
        FrameSpan current = spans.get(span);
        long from = Math.max(current.start(), blockStart);
        long to = Math.min(current.end(), blockEnd);
        for (long f = from; f < to; f++) {
          if (downsampler.push(part.track().sample(samples, (int) (f - blockStart) * channels, channels))) {
            emit(downsampler.last);
          }
        }
        if (current.end() > blockEnd) {
          return;
        }
        span++;
      }
      if (span == spans.size()) {
        finish();
      }
    }

    private void emit(short sample) throws WorkDirWriteException {
      try {
        if (writer == null) {
          WritableByteChannel channel = FileSystems.create(FileSystems.matchNewResource(part.uri(), false), "audio/wav");
          writer = new WavWriter(channel, part.outputRate(), frames);
        }
        writer.write(sample);
      } catch (WorkDirWriteException e) {
        throw e;
      } catch (IOException e) {
        throw new WorkDirWriteException(part.uri(), e);
      }
    }

    /** Completes the file; a recording that ended before a part's spans leaves it short, which is an error. */
    void finish() throws IOException {
      if (writer == null && frames == 0) {
        return;
      }
      if (downsampler.flush()) {
        emit(downsampler.last);
      }
      if (writer != null) {
        WavWriter done = writer;
        writer = null;
        try {
          done.close();
        } catch (IOException e) {
          throw new WorkDirWriteException(part.uri(), e);
        }
      }
    }

    /** Closes a file left open by a failure; the partial object is rewritten under the same name on retry. */
    void abandon() throws IOException {
      if (writer != null) {
        WavWriter open = writer;
        writer = null;
        open.abort();
      }
    }
  }
}
