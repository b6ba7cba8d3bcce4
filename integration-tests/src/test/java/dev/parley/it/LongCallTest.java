package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.parley.model.AudioArrival;
import dev.parley.model.AudioInfo;
import dev.parley.model.ProbedAudio;
import dev.parley.model.TranscriptSegment;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SpokenCall;
import dev.parley.transforms.audio.AudioPreparation;
import dev.parley.transforms.audio.AudioProbe;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A 60-minute call, cut into chunks, transcribed chunk by chunk through the emulator and stitched: one
 * transcript in the original timeline, covering the whole call, with the sentences the model heard twice at
 * each seam kept once.
 */
public class LongCallTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient GeminiEmulatorRule gemini = new GeminiEmulatorRule();

  @Test
  public void anHourLongCallIsChunkedTranscribedAndStitched() throws Exception {
    TenantConfigSpec tenants = AudioFixture.tenants(tmp.newFolder("tenants").toPath());
    Path work = tmp.newFolder("work").toPath();
    Path wav = tmp.getRoot().toPath().resolve("hour.wav");
    new SpokenCall(3600, 8000, 1, 0.3, 60).write(wav);
    AudioArrival arrival = AudioFixture.arrival("acme", wav);

    // The parts are a deterministic function of the recording: prepare them once here to learn their digests,
    // and give each chunk a transcript whose first sentence repeats the previous chunk's last, as a model does
    // when it hears the overlap twice.
    List<ProbedAudio> parts = prepare(tenants, arrival, wav, work);
    assertThat("an hour of speech needs several 15-minute chunks", parts.size(), greaterThanOrEqualTo(3));
    List<String> sentences = new ArrayList<>();
    for (int k = 0; k < parts.size(); k++) {
      List<String> text = new ArrayList<>();
      if (k > 0) {
        text.add(sentences.get(sentences.size() - 1));
      }
      for (int j = 1; j <= 12; j++) {
        String sentence = "In chunk " + k + " we discussed item number " + j + " of the agenda.";
        text.add(sentence);
        sentences.add(sentence);
      }
      gemini.get().registerTranscript(EndToEndTest.sha256(Files.readAllBytes(Path.of(parts.get(k).getArrival()
          .getSourceUri()))), String.join(" ", text));
    }

    AudioFixture.Outputs out = AudioFixture.run(pipeline, tenants, work, gemini.baseUrl(), List.of(arrival));
    String callId = arrival.getCallId();
    String source = wav.toString();
    PAssert.that(out.deadLetters()).empty();
    PAssert.thatSingleton(out.calls()).satisfies(call -> {
      assertEquals(callId, call.getCallId());
      assertEquals(source, call.getSourceUri());
      assertEquals(3_600_000L, (long) call.getRawAudioMillis());
      assertThat("silence is not billed", call.getBilledAudioMillis(), lessThan(3_000_000L));
      List<TranscriptSegment> segments = call.getTranscript().getSegments();
      assertThat("starts within a second of the call", segments.get(0).getStartMillis(), lessThanOrEqualTo(1_000L));
      assertThat("ends within a second of the call", segments.get(segments.size() - 1).getEndMillis(),
          greaterThanOrEqualTo(3_599_000L));
      long previous = 0;
      Set<String> texts = new HashSet<>();
      for (TranscriptSegment s : segments) {
        assertThat("monotonic", s.getStartMillis(), greaterThanOrEqualTo(previous));
        assertThat(s.getEndMillis(), greaterThanOrEqualTo(s.getStartMillis()));
        assertThat(s.getEndMillis(), lessThanOrEqualTo(3_600_000L));
        assertTrue("said once: " + s.getText(), texts.add(s.getText()));
        assertTrue(s.getSpeaker().equals("Speaker 1") || s.getSpeaker().equals("Speaker 2"));
        previous = s.getStartMillis();
      }
      assertEquals("every sentence, each once", new HashSet<>(sentences), texts);
      return null;
    });
    pipeline.run().waitUntilFinish();
    assertEquals("one model call per chunk", parts.size(), gemini.get().requests().size());
  }

  private static List<ProbedAudio> prepare(TenantConfigSpec tenants, AudioArrival arrival, Path wav, Path work)
      throws Exception {
    AudioInfo info;
    try (FileChannel channel = FileChannel.open(wav)) {
      info = AudioProbe.probe(channel, Files.size(wav));
    }
    TenantConfig acme = tenants.open().current().find("acme").orElseThrow();
    return AudioPreparation.prepare(ProbedAudio.of(arrival, info), acme, () -> FileChannel.open(wav), work.toString())
        .calls();
  }

}
