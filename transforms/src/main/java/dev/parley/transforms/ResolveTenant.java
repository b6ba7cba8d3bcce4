package dev.parley.transforms;

import dev.parley.model.AudioArrival;
import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tenant.TenantId;
import dev.parley.tenant.TenantRegistry;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.metrics.StageMetrics;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Decides which tenant an arrival belongs to, and refuses it unless every witness agrees: the tenant folder
 * of the drop-folder layout, the tenant whose configured sources hold the object, and the tenant the event
 * claims. The tenant must also be configured and enabled. Output arrivals carry the resolved tenant id.
 */
public final class ResolveTenant
    extends PTransform<PCollection<AudioArrival>, WithFailures.Result<PCollection<AudioArrival>, DeadLetter>> {
  static final String STAGE = "ResolveTenant";
  private static final TupleTag<AudioArrival> RESOLVED = new TupleTag<>("resolved") {};

  private final TenantConfigSpec tenants;
  private final @Nullable DropFolderLayout layout;

  private ResolveTenant(TenantConfigSpec tenants, @Nullable DropFolderLayout layout) {
    this.tenants = tenants;
    this.layout = layout;
  }

  /**
   * @param layout the drop-folder root whose {@code {tenantId}/} folders grant ownership, or null when the job
   *     has no drop folder (ownership then comes from configured sources only)
   */
  public static ResolveTenant using(TenantConfigSpec tenants, @Nullable DropFolderLayout layout) {
    return new ResolveTenant(tenants, layout);
  }

  @Override
  public WithFailures.Result<PCollection<AudioArrival>, DeadLetter> expand(PCollection<AudioArrival> arrivals) {
    PCollectionTuple out = arrivals.apply("Resolve",
        ParDo.of(new ResolveFn(tenants, layout, PayloadEncoder.of(arrivals)))
            .withOutputTags(RESOLVED, TupleTagList.of(DeadLetters.TAG)));
    return WithFailures.Result.of(out, RESOLVED, DeadLetters.TAG);
  }

  static final class ResolveFn extends DoFn<AudioArrival, AudioArrival> {
    private final TenantConfigSpec tenants;
    private final @Nullable DropFolderLayout layout;
    private final PayloadEncoder<AudioArrival> encoder;
    private final StageMetrics metrics = new StageMetrics(STAGE);
    private transient ReloadingTenantRegistry registry;

    ResolveFn(TenantConfigSpec tenants, @Nullable DropFolderLayout layout, PayloadEncoder<AudioArrival> encoder) {
      this.tenants = tenants;
      this.layout = layout;
      this.encoder = encoder;
    }

    @Setup
    public void setup() throws Exception {
      registry = tenants.open();
    }

    @ProcessElement
    public void process(@Element AudioArrival arrival, MultiOutputReceiver out) {
      TenantRegistry config = registry.current();
      String uri = arrival.getSourceUri();
      Optional<String> byLayout = layout == null ? Optional.empty() : layout.tenantOf(uri);
      Optional<String> bySource = config.ownerOfSource(uri).map(TenantConfig::id);
      String claim = arrival.getTenantId() != null ? arrival.getTenantId() : byLayout.or(() -> bySource).orElse(null);

      if (claim == null) {
        fail(out, arrival, ErrorCode.PATH_OUTSIDE_TENANT_LAYOUT,
            "object is neither in a drop-folder tenant folder nor under any tenant's configured sources");
        return;
      }
      Optional<String> idProblem = TenantId.problem(claim);
      if (idProblem.isPresent()) {
        fail(out, arrival, ErrorCode.TENANT_ID_INVALID, idProblem.get());
        return;
      }
      if (byLayout.isPresent() && !byLayout.get().equals(claim)) {
        fail(out, arrival, ErrorCode.TENANT_MISMATCH,
            "event claims tenant '" + claim + "' but the object is in the folder of tenant '" + byLayout.get() + "'");
        return;
      }
      if (bySource.isPresent() && !bySource.get().equals(claim)) {
        fail(out, arrival, ErrorCode.TENANT_MISMATCH,
            "event claims tenant '" + claim + "' but the object is under a source of tenant '" + bySource.get() + "'");
        return;
      }
      if (byLayout.isEmpty() && bySource.isEmpty()) {
        fail(out, arrival, ErrorCode.TENANT_MISMATCH,
            "object is outside every configured source of tenant '" + claim + "'");
        return;
      }
      Optional<TenantConfig> tenant = config.find(claim);
      if (tenant.isEmpty()) {
        fail(out, arrival.toBuilder().setTenantId(claim).build(), ErrorCode.TENANT_UNKNOWN,
            "no tenant '" + claim + "' is configured");
        return;
      }
      if (!tenant.get().enabled()) {
        fail(out, arrival.toBuilder().setTenantId(claim).build(), ErrorCode.TENANT_DISABLED,
            "tenant '" + claim + "' is disabled in tenant config");
        return;
      }
      metrics.incTenant("resolved", claim, 1);
      out.get(RESOLVED).output(arrival.toBuilder().setTenantId(claim).build());
    }

    private void fail(MultiOutputReceiver out, AudioArrival arrival, ErrorCode code, String message) {
      metrics.incTenant("dead_letters", arrival.getTenantId(), 1);
      out.get(DeadLetters.TAG).output(DeadLetters.of(STAGE, code, message, arrival, 1, encoder, arrival));
    }
  }
}
