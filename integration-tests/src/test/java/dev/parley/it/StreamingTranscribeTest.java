package dev.parley.it;

import static org.junit.Assert.assertEquals;

import dev.parley.emulator.gemini.Fault;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SampleAudio;
import dev.parley.transforms.Transcribe;
import dev.parley.transforms.transcribe.ModelEndpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Transcribe's streaming form in a real streaming pipeline: backlog in Beam state, calls started by timers,
 * outcomes emitted when done. The input never ends (as a streaming source), so the test watches the outputs and
 * cancels the job once every call has come out.
 */
public class StreamingTranscribeTest {
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient GeminiEmulatorRule gemini = new GeminiEmulatorRule();

  static final Queue<String> OUTCOMES = new ConcurrentLinkedQueue<>();

  /** Records each outcome; a static queue, since the DirectRunner runs DoFns in this JVM. */
  static final class Collect<T> extends DoFn<T, Void> {
    private final String kind;

    Collect(String kind) {
      this.kind = kind;
    }

    @ProcessElement
    public void process(@Element T element) {
      OUTCOMES.add(kind + ":" + (element instanceof CallRecord r ? r.getCallId() : ((DeadLetter) element).getErrorCode()));
    }
  }

  @Test
  public void everyCallComesOutOnceThroughTheStatefulStep() throws Exception {
    OUTCOMES.clear();
    TenantConfigSpec tenants = TranscribeFixture.tenants(tmp.newFolder("tenants").toPath(), 5_000_000);
    List<ProbedAudio> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(TranscribeFixture.localCall(tmp.getRoot().toPath(), i % 3 == 0 ? "globex" : "acme", "s" + i + ".wav",
          SampleAudio.wav(1, 8000, 1, 300 + i), 1));
    }
    gemini.get().scriptFaults(Fault.of(Fault.Kind.UNAVAILABLE), Fault.of(Fault.Kind.BAD_REQUEST));

    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setBlockOnRun(false);
    Pipeline pipeline = Pipeline.create(options);
    PCollection<ProbedAudio> given = pipeline.apply("Calls", Create.of(calls));
    // An endless, empty stream keeps the job streaming, as a Pub/Sub or drop-folder source would.
    PCollection<ProbedAudio> endless = pipeline
        .apply("Endless", GenerateSequence.from(0).withRate(1, Duration.standardHours(1)))
        .apply(Filter.by((Long n) -> false))
        .apply(MapElements.into(TypeDescriptor.of(ProbedAudio.class)).via((Long n) -> (ProbedAudio) null))
        .setCoder(given.getCoder());
    WithFailures.Result<PCollection<CallRecord>, DeadLetter> result = PCollectionList.of(given).and(endless)
        .apply(Flatten.pCollections())
        .apply(Transcribe.using(tenants, ModelEndpoints.googleDefault().withGemini(gemini.baseUrl()))
            .withBackoff(Duration.millis(10), Duration.millis(20)));
    result.output().apply(ParDo.of(new Collect<>("record")));
    result.failures().apply(ParDo.of(new Collect<>("dead")));

    PipelineResult run = pipeline.run();
    long deadline = System.currentTimeMillis() + 60_000;
    while (OUTCOMES.size() < 20 && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    Thread.sleep(500); // anything beyond the twenty would be a duplicate
    run.cancel();

    assertEquals(20, OUTCOMES.size());
    assertEquals(19, OUTCOMES.stream().filter(o -> o.startsWith("record:")).distinct().count());
    assertEquals(List.of("dead:MODEL_BAD_REQUEST"), OUTCOMES.stream().filter(o -> o.startsWith("dead:")).toList());
    assertEquals("20 calls and one retry", 21, gemini.get().requests().size());
  }
}
