package dev.parley.transforms;

import com.google.auto.value.AutoValue;
import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.model.DeadLetter;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.crm.WriteCallsToCrm;
import dev.parley.transforms.spanner.SpannerTargets;
import dev.parley.transforms.spanner.WriteToSpanner;
import dev.parley.transforms.store.LocalStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The sinks of transcribed calls: the store, then the tenant's CRM. The store is Cloud Spanner when the job has
 * Spanner databases ({@link WriteToSpanner}), else the local JSON Lines store. The CRM push, when enabled, takes the
 * calls the store wrote (with Spanner: less those whose write failed), and each push's outcome is stored as a
 * {@code CrmSync} row in the same store. The output is every sink's dead letters.
 */
@AutoValue
public abstract class StoreAndPushCalls extends PTransform<PCollection<CallRecord>, PCollection<DeadLetter>> {
  abstract TenantConfigSpec tenants();

  abstract @Nullable SpannerTargets spanner();

  abstract @Nullable String spannerEmulatorHost();

  abstract String outputDir();

  abstract String runId();

  abstract @Nullable WriteCallsToCrm crm();

  abstract Builder toBuilder();

  /** The local store only: JSON Lines tables under {@code outputDir}, named by {@code runId}. */
  public static StoreAndPushCalls toLocalStore(TenantConfigSpec tenants, String outputDir, String runId) {
    return new AutoValue_StoreAndPushCalls.Builder().tenants(tenants).outputDir(outputDir).runId(runId).build();
  }

  /** Stores in these Spanner databases instead of the local store; {@code emulatorHost} may be null. */
  public StoreAndPushCalls withSpanner(SpannerTargets targets, @Nullable String emulatorHost) {
    return toBuilder().spanner(targets).spannerEmulatorHost(emulatorHost).build();
  }

  /** Pushes every stored call into its tenant's CRM. */
  public StoreAndPushCalls withCrm(WriteCallsToCrm crm) {
    return toBuilder().crm(crm).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder tenants(TenantConfigSpec value);

    abstract Builder spanner(@Nullable SpannerTargets value);

    abstract Builder spannerEmulatorHost(@Nullable String value);

    abstract Builder outputDir(String value);

    abstract Builder runId(String value);

    abstract Builder crm(@Nullable WriteCallsToCrm value);

    abstract StoreAndPushCalls build();
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<CallRecord> calls) {
    List<PCollection<DeadLetter>> failures = new ArrayList<>();
    PCollection<CallRecord> stored;
    if (spanner() != null) {
      stored = calls.apply("StoreCalls", WriteToSpanner.calls(tenants(), spanner()).withEmulatorHost(spannerEmulatorHost()))
          .failuresTo(failures);
    } else {
      calls.apply("StoreCalls", LocalStore.writeCalls(outputDir(), runId()));
      stored = calls;
    }
    if (crm() != null) {
      WithFailures.Result<PCollection<CrmSync>, DeadLetter> pushed = stored.apply("PushToCrm", crm());
      failures.add(pushed.failures());
      if (spanner() != null) {
        pushed.output()
            .apply("StoreCrmSync", WriteToSpanner.crmSyncs(tenants(), spanner()).withEmulatorHost(spannerEmulatorHost()))
            .failuresTo(failures);
      } else {
        pushed.output().apply("StoreCrmSync", LocalStore.writeCrmSync(outputDir(), runId()));
      }
    }
    if (failures.isEmpty()) {
      return calls.getPipeline().apply("NoSinkDeadLetters", Create.empty(TypeDescriptor.of(DeadLetter.class)));
    }
    return PCollectionList.of(failures).apply("SinkDeadLetters", Flatten.pCollections());
  }
}
