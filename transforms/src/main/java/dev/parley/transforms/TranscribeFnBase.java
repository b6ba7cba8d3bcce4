package dev.parley.transforms;

import dev.parley.model.CallRecord;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.TenantConfig;
import dev.parley.transforms.admission.AdmissionControl;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.metrics.StageMetrics;
import dev.parley.transforms.transcribe.CallExecutor;
import dev.parley.transforms.transcribe.CallRunner;
import dev.parley.transforms.transcribe.GeminiEngine;
import dev.parley.transforms.transcribe.SpeechToTextEngine;
import dev.parley.transforms.transcribe.TranscriptionEngine;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;

/** What both forms of Transcribe's calling step hold: config, engines, admission, executor, the call runner. */
abstract class TranscribeFnBase<InputT> extends DoFn<InputT, CallRecord> {
  protected final Transcribe spec;
  protected final PayloadEncoder<ProbedAudio> encoder;
  protected final StageMetrics metrics = new StageMetrics(Transcribe.STAGE);
  protected transient ReloadingTenantRegistry registry;
  protected transient AdmissionControl admission;
  protected transient CallExecutor executor;
  protected transient CallRunner runner;
  private transient SecretResolver secrets;
  private transient Map<String, TranscriptionEngine> engines;

  TranscribeFnBase(Transcribe spec, PayloadEncoder<ProbedAudio> encoder) {
    this.spec = spec;
    this.encoder = encoder;
  }

  @Setup
  public void setup() throws Exception {
    registry = spec.tenants().open();
    secrets = new SecretResolver();
    engines = Map.of(
        TenantConfig.Transcription.GEMINI, new GeminiEngine(spec.endpoints(), secrets),
        TenantConfig.Transcription.SPEECH_TO_TEXT, new SpeechToTextEngine(spec.endpoints()));
    admission = spec.admission().admission();
    executor = CallExecutor.shared(spec.maxCallsInFlight());
    runner = new CallRunner(Transcribe.STAGE, new CallRunner.RetryPolicy(spec.maxAttempts(),
        spec.maxInvalidAnswerAttempts(), spec.initialBackoff(), spec.maxBackoff(), spec::timeoutFor),
        admission, encoder, spec.endpoints().toString());
  }

  protected TranscriptionEngine engine(TenantConfig tenant) {
    return engines.get(tenant.transcription().engine());
  }

  @Teardown
  public void teardown() {
    if (engines != null) {
      engines.values().forEach(TranscriptionEngine::close);
    }
    if (secrets != null) {
      secrets.close();
    }
  }
}
