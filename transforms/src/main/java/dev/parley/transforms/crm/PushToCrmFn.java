package dev.parley.transforms.crm;

import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.metrics.StageMetrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Pushes one call into its tenant's CRM within the call's budget; see {@link WriteCallsToCrm}. With
 * {@code holdPassing}, a call that failed for a passing reason goes to the hold instead of the dead letters.
 */
final class PushToCrmFn extends DoFn<CallRecord, CrmSync> {
  private final WriteCallsToCrm spec;
  private final CrmOutcomes outcomes;
  private final boolean holdPassing;
  private final StageMetrics metrics = new StageMetrics(WriteCallsToCrm.STAGE);
  private transient CrmPusher pusher;

  PushToCrmFn(WriteCallsToCrm spec, PayloadEncoder<CallRecord> encoder, boolean holdPassing) {
    this.spec = spec;
    this.outcomes = new CrmOutcomes(encoder, metrics);
    this.holdPassing = holdPassing;
  }

  @Setup
  public void setup() throws Exception {
    pusher = new CrmPusher(spec, metrics);
  }

  @Teardown
  public void teardown() {
    if (pusher != null) {
      pusher.close();
    }
  }

  @ProcessElement
  public void process(@Element CallRecord call, MultiOutputReceiver out) throws InterruptedException {
    CrmPusher.Pushed pushed = pusher.push(call);
    if (holdPassing && pushed.failed() && pushed.passing()) {
      metrics.incTenant("held", call.getTenantId(), 1);
      out.get(WriteCallsToCrm.HELD).output(call);
      return;
    }
    outcomes.emit(out, call, pushed);
  }
}
