package dev.parley.transforms;

import dev.parley.model.ProbedAudio;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.transcribe.GeminiBatchJobs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Sends the calls of tenants the Batch API can serve (Gemini API) one way and the rest (Vertex AI, Speech-to-Text,
 * tenants no longer configured, which the online step dead-letters) the other.
 */
final class RouteToBatchApiFn extends DoFn<ProbedAudio, ProbedAudio> {
  static final TupleTag<ProbedAudio> BATCH_API = new TupleTag<>("batchApi") {};
  static final TupleTag<ProbedAudio> ONLINE = new TupleTag<>("online") {};

  private final TenantConfigSpec tenants;
  private transient ReloadingTenantRegistry registry;

  RouteToBatchApiFn(TenantConfigSpec tenants) {
    this.tenants = tenants;
  }

  @Setup
  public void setup() throws Exception {
    registry = tenants.open();
  }

  @ProcessElement
  public void process(@Element ProbedAudio call, MultiOutputReceiver out) {
    boolean batch = registry.current().find(call.getArrival().getTenantId()).map(GeminiBatchJobs::supports).orElse(false);
    out.get(batch ? BATCH_API : ONLINE).output(call);
  }
}
