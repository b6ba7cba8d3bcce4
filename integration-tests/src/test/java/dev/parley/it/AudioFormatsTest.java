package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.parley.emulator.gemini.Fault;
import dev.parley.emulator.gemini.RecordedRequest;
import dev.parley.model.AudioArrival;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.TranscriptSegment;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SpokenCall;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Recordings as they really arrive, through ProbeAudio, PrepareAudio, Transcribe (the emulator) and
 * StitchChunks: every container, the codecs the model does not take, a stereo call with channel roles, and
 * broken files of each kind.
 */
public class AudioFormatsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient GeminiEmulatorRule gemini = new GeminiEmulatorRule();

  private final Map<String, String> digests = new HashMap<>();

  private Path fixture(String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/audio/" + name)) {
      return write(name, in.readAllBytes());
    }
  }

  private Path write(String name, byte[] bytes) throws Exception {
    Path file = tmp.getRoot().toPath().resolve(name);
    Files.write(file, bytes);
    digests.put(EndToEndTest.sha256(bytes), name);
    return file;
  }

  private Path cut(String name, String fixture, double keep) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/audio/" + fixture)) {
      byte[] whole = in.readAllBytes();
      return write(name, Arrays.copyOf(whole, (int) (whole.length * keep)));
    }
  }

  @Test
  public void everyFormatIsTranscribedOrDeadLetteredWithItsCode() throws Exception {
    TenantConfigSpec tenants = AudioFixture.tenants(tmp.newFolder("tenants").toPath());
    List<AudioArrival> arrivals = new ArrayList<>();
    for (String name : List.of("tone.flac", "tone-cbr.mp3", "tone-vbr.mp3", "tone-vorbis.ogg", "tone-opus.ogg",
        "tone.m4a")) {
      arrivals.add(AudioFixture.arrival("acme", fixture(name)));
    }
    arrivals.add(AudioFixture.arrival("globex", write("vertex.m4a", Files.readAllBytes(fixture("tone.m4a")))));
    arrivals.add(AudioFixture.arrival("acme", fixture("tone-mulaw.wav")));
    arrivals.add(AudioFixture.arrival("acme", cut("truncated.mp3", "tone-cbr.mp3", 0.6)));
    arrivals.add(AudioFixture.arrival("acme", cut("truncated.ogg", "tone-opus.ogg", 0.6)));
    arrivals.add(AudioFixture.arrival("acme", cut("truncated.m4a", "tone.m4a", 0.6)));
    arrivals.add(AudioFixture.arrival("acme", cut("truncated.flac", "tone.flac", 0.5)));
    byte[] garbledFlac = Files.readAllBytes(fixture("tone.flac"));
    Arrays.fill(garbledFlac, 8, 30, (byte) 0);
    arrivals.add(AudioFixture.arrival("acme", write("corrupt.flac", garbledFlac)));
    arrivals.add(AudioFixture.arrival("acme", fixture("tone.webm")));

    AudioFixture.Outputs out = AudioFixture.run(pipeline, tenants, tmp.newFolder("work").toPath(), gemini.baseUrl(),
        arrivals);
    PAssert.that(out.calls()).satisfies(calls -> {
      Map<String, CallRecord> byName = StreamSupport.stream(calls.spliterator(), false)
          .collect(Collectors.toMap(c -> Path.of(c.getSourceUri()).getFileName().toString(), c -> c));
      assertEquals(List.of("tone-cbr.mp3", "tone-mulaw.wav", "tone-opus.ogg", "tone-vbr.mp3", "tone-vorbis.ogg",
          "tone.flac", "tone.m4a", "vertex.m4a"), byName.keySet().stream().sorted().toList());
      for (CallRecord call : byName.values()) {
        assertThat(call.getRawAudioMillis(), greaterThan(1900L));
        assertThat(call.getTranscript().getSegments().size(), greaterThan(0));
      }
      assertEquals("MULAW", byName.get("tone-mulaw.wav").getAudio().getCodec());
      return null;
    });
    PAssert.that(out.deadLetters()).satisfies(letters -> {
      Map<String, String> codes = StreamSupport.stream(letters.spliterator(), false).collect(Collectors.toMap(
          l -> Path.of(l.getSourceUri()).getFileName().toString(), DeadLetter::getErrorCode));
      assertEquals(Map.of(
          "truncated.mp3", "AUDIO_TRUNCATED",
          "truncated.ogg", "AUDIO_TRUNCATED",
          "truncated.m4a", "AUDIO_TRUNCATED",
          "truncated.flac", "AUDIO_TRUNCATED",
          "corrupt.flac", "AUDIO_CORRUPT",
          "tone.webm", "AUDIO_UNSUPPORTED_FORMAT"), codes);
      return null;
    });
    pipeline.run().waitUntilFinish();

    Map<String, RecordedRequest> sent = new HashMap<>();
    for (RecordedRequest request : gemini.get().requests()) {
      sent.put(digests.getOrDefault(request.audioSha256().get(0), "derived:" + request.audioSha256().get(0)),
          request);
    }
    // Taken as they are: the model was sent the very bytes that arrived.
    for (String name : List.of("tone.flac", "tone-cbr.mp3", "tone-vbr.mp3", "tone-vorbis.ogg", "tone-opus.ogg",
        "vertex.m4a")) {
      assertTrue(name + " sent as it arrived", sent.containsKey(name));
    }
    // Transcoded: M4A for the Gemini API (no MP4 type there) and µ-law: something else was sent for them.
    assertEquals(8, gemini.get().requests().size());
    assertEquals(2, sent.keySet().stream().filter(k -> k.startsWith("derived:")).count());
  }

  @Test
  public void aStereoCallIsTranscribedPerChannelAndLabelledByRole() throws Exception {
    TenantConfigSpec tenants = AudioFixture.tenants(tmp.newFolder("tenants").toPath());
    Path wav = tmp.getRoot().toPath().resolve("stereo.wav");
    List<SpokenCall.Utterance> utterances = new SpokenCall(120, 8000, 2, 0.3, 7).write(wav);
    long agentSpeech = utterances.stream().filter(u -> u.channel() == 0).mapToLong(u -> u.endMillis() - u.startMillis()).sum();
    long customerSpeech = utterances.stream().filter(u -> u.channel() == 1).mapToLong(u -> u.endMillis() - u.startMillis()).sum();
    long firstCustomer = utterances.stream().filter(u -> u.channel() == 1).findFirst().orElseThrow().startMillis();

    AudioFixture.Outputs out = AudioFixture.run(pipeline, tenants, tmp.newFolder("work").toPath(), gemini.baseUrl(),
        List.of(AudioFixture.arrival("initech", wav)));
    PAssert.that(out.deadLetters()).empty();
    PAssert.thatSingleton(out.calls()).satisfies(call -> {
      List<TranscriptSegment> segments = call.getTranscript().getSegments();
      assertEquals(2, segments.size());
      assertEquals("Agent", segments.get(0).getSpeaker());
      assertEquals(0, segments.get(0).getStartMillis());
      assertEquals("Customer", segments.get(1).getSpeaker());
      assertEquals("the customer's channel starts with the customer", firstCustomer, segments.get(1).getStartMillis(),
          250);
      assertNull("two files were heard: no single digest", call.getAudioSha256());
      assertEquals(120_000L, (long) call.getRawAudioMillis());
      // Each channel sends its own speaker's turns: together about the speech, far less than twice the call.
      assertThat(call.getBilledAudioMillis(), lessThan((long) ((agentSpeech + customerSpeech) * 1.15)));
      return null;
    });
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals("raw audio per tenant", 120_000L, counter(result, "raw_audio_ms/initech"));
    assertThat("billed audio per tenant", counter(result, "billed_audio_ms/initech"),
        lessThan((long) ((agentSpeech + customerSpeech) * 1.15)));
    assertEquals(2, gemini.get().requests().size());
    assertNotEquals(gemini.get().requests().get(0).audioSha256(), gemini.get().requests().get(1).audioSha256());
  }

  @Test
  public void aCallWithAFailedPartIsDeadLetteredWholeNotStoredHalf() throws Exception {
    TenantConfigSpec tenants = AudioFixture.tenants(tmp.newFolder("tenants").toPath());
    Path wav = tmp.getRoot().toPath().resolve("stereo.wav");
    new SpokenCall(60, 8000, 2, 0.3, 8).write(wav);
    AudioArrival arrival = AudioFixture.arrival("initech", wav);
    String callId = arrival.getCallId();
    gemini.get().scriptFaults(Fault.of(Fault.Kind.BAD_REQUEST)); // the first channel's request

    AudioFixture.Outputs out = AudioFixture.run(pipeline, tenants, tmp.newFolder("work").toPath(), gemini.baseUrl(),
        List.of(arrival));
    PAssert.that(out.calls()).empty();
    PAssert.that(out.deadLetters()).satisfies(letters -> {
      Map<String, DeadLetter> byStage = StreamSupport.stream(letters.spliterator(), false)
          .collect(Collectors.toMap(DeadLetter::getStage, l -> l));
      assertEquals(2, byStage.size());
      assertEquals("MODEL_BAD_REQUEST", byStage.get("Transcribe").getErrorCode());
      assertThat("the part's own letter", byStage.get("Transcribe").getCallId(), startsWith(callId + "-"));
      DeadLetter call = byStage.get("StitchChunks");
      assertEquals("AUDIO_PARTS_MISSING", call.getErrorCode());
      assertEquals(callId, call.getCallId());
      assertEquals("replay starts from the arrival", "AudioArrival", call.getPayloadType());
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  private static long counter(PipelineResult result, String name) {
    MetricResult<Long> counter = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named("parley.PrepareAudio", name)).build()).getCounters().iterator().next();
    return counter.getAttempted();
  }
}
