package dev.parley.transforms.backfill;

import dev.parley.model.AudioArrival;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tenant.TenantRegistry;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Keeps one tenant's arrivals: those its drop-folder path claims, or under its configured sources. Applied before
 * any model work, so backfilling one tenant costs nothing for the others.
 */
public final class OnlyTenant extends PTransform<PCollection<AudioArrival>, PCollection<AudioArrival>> {
  private final String tenantId;
  private final TenantConfigSpec tenants;

  private OnlyTenant(String tenantId, TenantConfigSpec tenants) {
    this.tenantId = tenantId;
    this.tenants = tenants;
  }

  public static OnlyTenant of(String tenantId, TenantConfigSpec tenants) {
    return new OnlyTenant(tenantId, tenants);
  }

  @Override
  public PCollection<AudioArrival> expand(PCollection<AudioArrival> arrivals) {
    return arrivals.apply("Keep-" + tenantId, ParDo.of(new KeepFn(tenantId, tenants))).setCoder(arrivals.getCoder());
  }

  static final class KeepFn extends DoFn<AudioArrival, AudioArrival> {
    private final String tenantId;
    private final TenantConfigSpec tenants;
    private transient ReloadingTenantRegistry registry;

    KeepFn(String tenantId, TenantConfigSpec tenants) {
      this.tenantId = tenantId;
      this.tenants = tenants;
    }

    @Setup
    public void setup() throws Exception {
      registry = tenants.open();
    }

    @ProcessElement
    public void process(@Element AudioArrival arrival, OutputReceiver<AudioArrival> out) {
      TenantRegistry config = registry.current();
      boolean claimed = tenantId.equals(arrival.getTenantId());
      boolean owned = arrival.getTenantId() == null
          && config.find(tenantId).map(t -> TenantRegistry.isUnderSources(t, arrival.getSourceUri())).orElse(false);
      if (claimed || owned) {
        out.output(arrival);
      }
    }
  }
}
