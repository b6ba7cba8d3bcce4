package dev.parley.transforms;

import com.google.auto.value.AutoValue;
import dev.parley.model.AudioArrival;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfigSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Everything between a front door and the sinks, shared by streaming ingest and batch backfill:
 * ResolveTenant, Dedupe, ReadSidecar, ProbeAudio, DailyQuotaGate, PrepareAudio (transcode, trim, split into
 * parts), Transcribe (admission inside, one element per part), StitchChunks (parts back into calls), then
 * EnrichFromCalendar (each call's meeting). Every stage's failures are merged into one dead-letter output.
 */
@AutoValue
public abstract class ProcessCalls
    extends PTransform<PCollection<AudioArrival>, WithFailures.Result<PCollection<CallRecord>, DeadLetter>> {

  abstract TenantConfigSpec tenants();

  abstract @Nullable DropFolderLayout dropFolder();

  abstract Transcribe transcribe();

  abstract EnrichFromCalendar calendar();

  /** Where PrepareAudio writes derived audio (local or gs://). */
  abstract String workDir();

  public static ProcessCalls of(TenantConfigSpec tenants, @Nullable DropFolderLayout dropFolder, Transcribe transcribe,
      EnrichFromCalendar calendar, String workDir) {
    return new AutoValue_ProcessCalls(tenants, dropFolder, transcribe, calendar, workDir);
  }

  @Override
  public WithFailures.Result<PCollection<CallRecord>, DeadLetter> expand(PCollection<AudioArrival> arrivals) {
    List<PCollection<DeadLetter>> failures = new ArrayList<>();
    PCollection<AudioArrival> resolved = arrivals
        .apply(ResolveTenant.STAGE, ResolveTenant.using(tenants(), dropFolder()))
        .failuresTo(failures);
    PCollection<AudioArrival> unique = resolved
        .apply(Dedupe.STAGE, Dedupe.byCallId())
        .apply(ReadSidecar.STAGE, ReadSidecar.whenMetadataIsMissing());
    PCollection<ProbedAudio> probed = unique
        .apply(ProbeAudio.STAGE, ProbeAudio.using(tenants()))
        .failuresTo(failures);
    // The daily caps decide per call, before it is split: a call is let through for the day whole, or not.
    PCollection<ProbedAudio> admitted = probed
        .apply(DailyQuotaGate.STAGE, DailyQuotaGate.using(tenants(), transcribe().admission()))
        .failuresTo(failures);
    PCollection<ProbedAudio> prepared = admitted
        .apply(PrepareAudio.STAGE, PrepareAudio.using(tenants(), workDir()))
        .failuresTo(failures);
    PCollection<CallRecord> records = prepared
        .apply(Transcribe.STAGE, transcribe())
        .failuresTo(failures)
        .apply(StitchChunks.STAGE, StitchChunks.byCall())
        .failuresTo(failures)
        .apply(EnrichFromCalendar.STAGE, calendar())
        .failuresTo(failures);
    PCollection<DeadLetter> deadLetters = PCollectionList.of(failures).apply("MergeDeadLetters", Flatten.pCollections());
    return WithFailures.Result.of(records, deadLetters);
  }
}
