package dev.parley.transforms.batch;

import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.metrics.StageMetrics;
import dev.parley.transforms.transcribe.GeminiBatchJobs;
import dev.parley.transforms.transcribe.GeminiEngine;
import dev.parley.transforms.transcribe.ModelEndpoints;
import org.apache.beam.sdk.transforms.DoFn;

/** What the steps that talk to the Batch API hold: the tenant config, and SDK clients made in setup. */
abstract class BatchJobsFn<InputT, OutputT> extends DoFn<InputT, OutputT> {
  protected final TenantConfigSpec tenants;
  protected final ModelEndpoints endpoints;
  protected final StageMetrics metrics = new StageMetrics(TranscribeInBatch.STAGE);
  protected transient ReloadingTenantRegistry registry;
  protected transient GeminiEngine engine;
  protected transient GeminiBatchJobs jobs;
  private transient SecretResolver secrets;

  BatchJobsFn(TenantConfigSpec tenants, ModelEndpoints endpoints) {
    this.tenants = tenants;
    this.endpoints = endpoints;
  }

  @Setup
  public void setup() throws Exception {
    registry = tenants.open();
    secrets = new SecretResolver();
    engine = new GeminiEngine(endpoints, secrets);
    jobs = new GeminiBatchJobs(engine);
  }

  @Teardown
  public void teardown() {
    if (engine != null) {
      engine.close();
    }
    if (secrets != null) {
      secrets.close();
    }
  }
}
