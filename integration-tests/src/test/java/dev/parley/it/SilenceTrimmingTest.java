package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import dev.parley.model.AudioInfo;
import dev.parley.tenant.TenantConfig;
import dev.parley.tools.SpokenCall;
import dev.parley.transforms.audio.AudioDecoders;
import dev.parley.transforms.audio.AudioProbe;
import dev.parley.transforms.audio.AudioTrack;
import dev.parley.transforms.audio.FrameSpan;
import dev.parley.transforms.audio.LevelEnvelope;
import dev.parley.transforms.audio.PcmStream;
import dev.parley.transforms.audio.SilenceTrimmer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Trimming on generated calls with known speech: every utterance survives, and most of the silence goes. */
public class SilenceTrimmingTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** Kept spans of each track (mix, or left and right), in milliseconds. */
  private List<List<FrameSpan>> trim(Path wav, List<AudioTrack> tracks, LevelEnvelope[] envelope) throws Exception {
    AudioInfo info;
    try (FileChannel channel = FileChannel.open(wav)) {
      info = AudioProbe.probe(channel, Files.size(wav));
    }
    try (PcmStream pcm = AudioDecoders.open(info, FileChannel.open(wav))) {
      envelope[0] = LevelEnvelope.measure(pcm, tracks);
    }
    SilenceTrimmer trimmer = new SilenceTrimmer(TenantConfig.SilenceTrimming.DEFAULT, envelope[0].sampleRate());
    return java.util.stream.IntStream.range(0, tracks.size()).mapToObj(t -> trimmer.keep(envelope[0], t)).toList();
  }

  private static long coveredMillis(List<FrameSpan> kept, long from, long to, LevelEnvelope envelope) {
    long covered = 0;
    for (FrameSpan span : kept) {
      long start = Math.max(from, envelope.millis(span.start()));
      long end = Math.min(to, envelope.millis(span.end()));
      covered += Math.max(0, end - start);
    }
    return covered;
  }

  @Test
  public void keepsEverySpeechSpanAndRemovesMostSilence() throws Exception {
    Path wav = tmp.getRoot().toPath().resolve("call.wav");
    List<SpokenCall.Utterance> utterances = new SpokenCall(600, 8000, 1, 0.3, 11).write(wav);
    LevelEnvelope[] envelope = new LevelEnvelope[1];
    List<FrameSpan> kept = trim(wav, List.of(AudioTrack.MIX), envelope).get(0);

    long speech = 0;
    for (SpokenCall.Utterance u : utterances) {
      assertEquals("utterance " + u + " kept whole", u.endMillis() - u.startMillis(),
          coveredMillis(kept, u.startMillis(), u.endMillis(), envelope[0]));
      speech += u.endMillis() - u.startMillis();
    }
    long total = envelope[0].millis(envelope[0].frames());
    long silence = total - speech;
    long keptSilence = coveredMillis(kept, 0, total, envelope[0]) - speech;
    assertThat("the call is about 30% silence", (double) silence / total, greaterThanOrEqualTo(0.25));
    assertThat("silence removed", 1 - (double) keptSilence / silence, greaterThanOrEqualTo(0.90));
  }

  @Test
  public void trimsEachChannelOfAStereoCallOnItsOwn() throws Exception {
    Path wav = tmp.getRoot().toPath().resolve("stereo.wav");
    List<SpokenCall.Utterance> utterances = new SpokenCall(180, 8000, 2, 0.3, 12).write(wav);
    LevelEnvelope[] envelope = new LevelEnvelope[1];
    List<List<FrameSpan>> kept = trim(wav, List.of(AudioTrack.channel(0, "agent"), AudioTrack.channel(1, "customer")),
        envelope);
    long[] speech = new long[2];
    for (SpokenCall.Utterance u : utterances) {
      assertEquals("utterance " + u + " kept on its own channel", u.endMillis() - u.startMillis(),
          coveredMillis(kept.get(u.channel()), u.startMillis(), u.endMillis(), envelope[0]));
      speech[u.channel()] += u.endMillis() - u.startMillis();
      long other = coveredMillis(kept.get(1 - u.channel()), u.startMillis() + 500, u.endMillis() - 500, envelope[0]);
      assertEquals("the other channel is silent while " + u + " speaks", 0, other);
    }
    for (int c = 0; c < 2; c++) {
      long keptMillis = coveredMillis(kept.get(c), 0, Long.MAX_VALUE, envelope[0]);
      assertThat("channel " + c + " sends little more than its own speech", (double) keptMillis / speech[c],
          org.hamcrest.Matchers.lessThan(1.15));
    }
  }
}
