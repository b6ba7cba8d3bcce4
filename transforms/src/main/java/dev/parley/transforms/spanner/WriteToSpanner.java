package dev.parley.transforms.spanner;

import com.google.auto.value.AutoValue;
import dev.parley.model.CallKeyed;
import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.model.DeadLetter;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.gcp.spanner.MutationGroup;
import org.apache.beam.sdk.io.gcp.spanner.SpannerIO;
import org.apache.beam.sdk.io.gcp.spanner.SpannerWriteResult;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Writes call rows to Cloud Spanner through Beam's {@link SpannerIO}: each element becomes its mutation groups
 * ({@link StoreMutations}, {@code InsertOrUpdate} keyed by tenant and call), is routed to its tenant's database
 * ({@link SpannerTargets}: one {@code SpannerIO.write} per database of the job) and written in batches.
 *
 * <p>Writes use {@link SpannerIO.FailureMode#REPORT_FAILURES}: a group Spanner refuses, or cannot commit
 * within the commit deadline and backoff, comes back and becomes a {@code STORE_WRITE_FAILED} dead letter with
 * its tenant and call id; the rest of the batch is written. The output holds the elements that were written:
 * on a bounded input, the input less those whose write failed (a join after the write, so what follows, the
 * CRM push, runs only for stored calls). SpannerIO reports failures in the global window, where such a join
 * would never fire on an unbounded input, so there every routed element is passed on and a failed write is
 * replayed from its dead letter.
 */
@AutoValue
public abstract class WriteToSpanner<T extends CallKeyed>
    extends PTransform<PCollection<T>, WithFailures.Result<PCollection<T>, DeadLetter>> {
  static final String STORE_STAGE = "StoreCalls";
  static final String CRM_SYNC_STAGE = "StoreCrmSync";

  abstract String stage();

  abstract TenantConfigSpec tenants();

  abstract SpannerTargets targets();

  abstract SerializableFunction<T, List<MutationGroup>> toMutations();

  abstract @Nullable String emulatorHost();

  abstract Duration commitDeadline();

  abstract Duration maxCumulativeBackoff();

  abstract long batchSizeBytes();

  abstract Builder<T> toBuilder();

  /** Calls with their segments and usage line: {@code Calls}, {@code TranscriptSegments}, {@code TenantUsage}. */
  public static WriteToSpanner<CallRecord> calls(TenantConfigSpec tenants, SpannerTargets targets) {
    return WriteToSpanner.<CallRecord>builder(STORE_STAGE, tenants, targets, StoreMutations::forCall);
  }

  /** CRM outcomes: {@code CrmSync}. */
  public static WriteToSpanner<CrmSync> crmSyncs(TenantConfigSpec tenants, SpannerTargets targets) {
    return WriteToSpanner.<CrmSync>builder(CRM_SYNC_STAGE, tenants, targets, StoreMutations::forCrmSync);
  }

  private static <T extends CallKeyed> WriteToSpanner<T> builder(
      String stage, TenantConfigSpec tenants, SpannerTargets targets,
      SerializableFunction<T, List<MutationGroup>> toMutations) {
    return new AutoValue_WriteToSpanner.Builder<T>()
        .stage(stage)
        .tenants(tenants)
        .targets(targets)
        .toMutations(toMutations)
        .commitDeadline(Duration.standardSeconds(15))
        .maxCumulativeBackoff(Duration.standardMinutes(2))
        .batchSizeBytes(1L << 20)
        .build();
  }

  /** Sends every database's writes to this host instead of Google's endpoint: the emulator, or a stand-in. */
  public WriteToSpanner<T> withEmulatorHost(@Nullable String host) {
    return toBuilder().emulatorHost(host).build();
  }

  /** How long one commit may take, gax retries of UNAVAILABLE included, before it counts as failed. */
  public WriteToSpanner<T> withCommitDeadline(Duration deadline) {
    return toBuilder().commitDeadline(deadline).build();
  }

  /** How long SpannerIO keeps retrying a batch after DEADLINE_EXCEEDED before reporting its groups failed. */
  public WriteToSpanner<T> withMaxCumulativeBackoff(Duration backoff) {
    return toBuilder().maxCumulativeBackoff(backoff).build();
  }

  /** Bytes per batch (SpannerIO's default: 1 MiB). */
  public WriteToSpanner<T> withBatchSizeBytes(long bytes) {
    return toBuilder().batchSizeBytes(bytes).build();
  }

  @AutoValue.Builder
  abstract static class Builder<T extends CallKeyed> {
    abstract Builder<T> stage(String value);

    abstract Builder<T> tenants(TenantConfigSpec value);

    abstract Builder<T> targets(SpannerTargets value);

    abstract Builder<T> toMutations(SerializableFunction<T, List<MutationGroup>> value);

    abstract Builder<T> emulatorHost(@Nullable String value);

    abstract Builder<T> commitDeadline(Duration value);

    abstract Builder<T> maxCumulativeBackoff(Duration value);

    abstract Builder<T> batchSizeBytes(long value);

    abstract WriteToSpanner<T> build();
  }

  @Override
  public WithFailures.Result<PCollection<T>, DeadLetter> expand(PCollection<T> input) {
    List<SpannerDatabase> databases = targets().databases();
    if (databases.isEmpty()) {
      throw new IllegalArgumentException("no Spanner database to write to: give the job a shared database or "
          + "tenants a spanner section");
    }
    List<TupleTag<T>> routes = new ArrayList<>();
    for (int i = 0; i < databases.size(); i++) {
      routes.add(new TupleTag<>("database" + i));
    }
    PCollectionTuple routed = input.apply("RouteToDatabase",
        ParDo.of(new RouteToDatabaseFn<>(stage(), tenants(), targets(), routes, PayloadEncoder.of(input)))
            .withOutputTags(routes.get(0), RouteToDatabaseFn.otherTags(routes)));

    List<PCollection<DeadLetter>> failures = new ArrayList<>(List.of(routed.get(DeadLetters.TAG)));
    List<PCollection<T>> sent = new ArrayList<>();
    List<PCollection<String>> failedKeys = new ArrayList<>();
    for (int i = 0; i < databases.size(); i++) {
      SpannerDatabase database = databases.get(i);
      PCollection<T> elements = routed.get(routes.get(i)).setCoder(input.getCoder());
      SpannerWriteResult result = elements
          .apply("ToMutations[" + database + "]", FlatMapElements.into(TypeDescriptor.of(MutationGroup.class))
              .via(toMutations()))
          .setCoder(SerializableCoder.of(MutationGroup.class))
          .apply("Write[" + database + "]", write(database));
      PCollection<DeadLetter> failed = result.getFailedMutations()
          .apply("FailedGroups[" + database + "]", ParDo.of(new FailedGroupToDeadLetterFn(stage(), database)));
      failures.add(failed);
      failedKeys.add(failed.apply("FailedKeys[" + database + "]",
          FlatMapElements.into(TypeDescriptors.strings()).via(l -> List.of(CallKey.of(l.getTenantId(), l.getCallId())))));
      sent.add(elements);
    }
    PCollection<T> allSent = PCollectionList.of(sent).apply("AllSent", Flatten.pCollections());
    PCollection<T> written = input.isBounded() == PCollection.IsBounded.BOUNDED
        ? withoutFailed(allSent, PCollectionList.of(failedKeys).apply("AllFailedKeys", Flatten.pCollections()))
        : allSent;
    PCollection<DeadLetter> deadLetters = PCollectionList.of(failures).apply("DeadLetters", Flatten.pCollections());
    return WithFailures.Result.of(written, deadLetters);
  }

  private SpannerIO.WriteGrouped write(SpannerDatabase database) {
    SpannerIO.Write write = SpannerIO.write()
        .withProjectId(database.project())
        .withInstanceId(database.instance())
        .withDatabaseId(database.database())
        .withFailureMode(SpannerIO.FailureMode.REPORT_FAILURES)
        .withCommitDeadline(commitDeadline())
        .withMaxCumulativeBackoff(maxCumulativeBackoff())
        .withBatchSizeBytes(batchSizeBytes());
    if (emulatorHost() != null) {
      write = write.withEmulatorHost(emulatorHost());
    }
    return write.grouped();
  }

  /** The elements whose key no failed write reported. */
  private PCollection<T> withoutFailed(PCollection<T> sent, PCollection<String> failedKeys) {
    TupleTag<T> sentTag = new TupleTag<>("sent");
    TupleTag<String> failedTag = new TupleTag<>("failed");
    PCollection<KV<String, T>> keyedSent = sent
        .apply("KeySent", WithKeys.<String, T>of(e -> CallKey.of(e.getTenantId(), e.getCallId()))
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), sent.getCoder()));
    PCollection<KV<String, String>> keyedFailed = failedKeys
        .apply("KeyFailed", WithKeys.<String, String>of(k -> k).withKeyType(TypeDescriptors.strings()));
    return KeyedPCollectionTuple.of(sentTag, keyedSent).and(failedTag, keyedFailed)
        .apply("JoinFailures", CoGroupByKey.create())
        .apply("KeepWritten", FlatMapElements.into(sent.getTypeDescriptor())
            .via((KV<String, CoGbkResult> joined) -> joined.getValue().getAll(failedTag).iterator().hasNext()
                ? List.<T>of() : joined.getValue().getAll(sentTag)))
        .setCoder(sent.getCoder());
  }
}
