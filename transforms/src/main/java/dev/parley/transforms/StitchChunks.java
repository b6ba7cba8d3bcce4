package dev.parley.transforms;

import dev.parley.model.AudioArrival;
import dev.parley.model.AudioPart;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.logging.KeyValuesInMdc;
import dev.parley.transforms.metrics.StageMetrics;
import dev.parley.transforms.stitch.PartStitcher;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Partition;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After Transcribe: the parts of a call that {@link PrepareAudio} split (channels, chunks) are collected by call
 * and stitched into one record ({@link PartStitcher}); calls that were sent whole pass through. Every record
 * leaves with its raw and billed audio milliseconds.
 *
 * <p>Parts are collected in keyed state, so this works the same in batch and streaming. A part that never
 * comes (its transcription was dead-lettered) leaves the call incomplete: when the call's timer fires (at the
 * end of a batch, or {@link #PARTS_TIMEOUT} of event time after its first part in streaming) the call is
 * dead-lettered as {@code AUDIO_PARTS_MISSING} with the original arrival as payload, so a replay redoes the
 * whole call; the failed part has its own dead letter saying why.
 */
public final class StitchChunks
    extends PTransform<PCollection<CallRecord>, WithFailures.Result<PCollection<CallRecord>, DeadLetter>> {
  static final String STAGE = "StitchChunks";
  static final Duration PARTS_TIMEOUT = Duration.standardHours(6);
  private static final TupleTag<CallRecord> STITCHED = new TupleTag<>("stitched") {};

  public static StitchChunks byCall() {
    return new StitchChunks();
  }

  @Override
  public WithFailures.Result<PCollection<CallRecord>, DeadLetter> expand(PCollection<CallRecord> records) {
    PCollectionList<CallRecord> split = records.apply("WholeOrPart",
        Partition.of(2, (CallRecord r, int n) -> r.getPart() == null ? 0 : 1));
    PCollection<CallRecord> whole = split.get(0).apply("AudioSeconds", MapElements
        .into(TypeDescriptor.of(CallRecord.class))
        .via((CallRecord r) -> r.toBuilder()
            .setRawAudioMillis(r.getAudio().getDurationMillis())
            .setBilledAudioMillis(r.getAudio().getDurationMillis())
            .build()));
    PayloadEncoder<AudioArrival> encoder;
    try {
      encoder = PayloadEncoder.forType(records.getPipeline().getSchemaRegistry(), AudioArrival.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    PCollectionTuple stitched = split.get(1)
        .apply("KeyByCall", WithKeys.of(
                (CallRecord r) -> r.getTenantId() + "/" + r.getPart().getParentArrival().processingKey())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), records.getCoder()))
        .apply("CollectParts", ParDo.of(new CollectPartsFn(encoder))
            .withOutputTags(STITCHED, TupleTagList.of(DeadLetters.TAG)));
    PCollection<CallRecord> calls = PCollectionList.of(whole)
        .and(stitched.get(STITCHED).setCoder(records.getCoder()))
        .apply("AllCalls", Flatten.pCollections());
    return WithFailures.Result.of(calls, stitched.get(DeadLetters.TAG));
  }

  static final class CollectPartsFn extends DoFn<KV<String, CallRecord>, CallRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(CollectPartsFn.class);
    private final PayloadEncoder<AudioArrival> encoder;
    private final StageMetrics metrics = new StageMetrics(STAGE);

    @StateId("parts")
    private final StateSpec<MapState<String, CallRecord>> partsSpec = StateSpecs.map();

    @StateId("done")
    private final StateSpec<ValueState<Boolean>> doneSpec = StateSpecs.value();

    @TimerId("giveUp")
    private final TimerSpec giveUpSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    CollectPartsFn(PayloadEncoder<AudioArrival> encoder) {
      this.encoder = encoder;
    }

    @ProcessElement
    public void process(@Element KV<String, CallRecord> element, @Timestamp Instant timestamp, BoundedWindow window,
        @StateId("parts") MapState<String, CallRecord> parts, @StateId("done") ValueState<Boolean> done,
        @TimerId("giveUp") Timer giveUp, MultiOutputReceiver out) {
      CallRecord part = element.getValue();
      if (Boolean.TRUE.equals(done.read())) {
        metrics.incTenant("late_parts", part.getTenantId(), 1); // A redelivered part of a call already stored.
        return;
      }
      Iterable<String> seen = parts.keys().read();
      if (!seen.iterator().hasNext()) {
        Instant deadline = timestamp.plus(PARTS_TIMEOUT);
        giveUp.set(deadline.isBefore(window.maxTimestamp()) ? deadline : window.maxTimestamp());
      }
      parts.put(part.getCallId(), part); // Keyed by the part's own id: a redelivered part counts once.
      List<CallRecord> all = new ArrayList<>();
      parts.values().read().forEach(all::add);
      if (all.size() < part.getPart().getPartCount()) {
        return;
      }
      CallRecord call = PartStitcher.stitch(all);
      metrics.incTenant("stitched_calls", call.getTenantId(), 1);
      metrics.incTenant("stitched_parts", call.getTenantId(), all.size());
      out.get(STITCHED).output(call);
      parts.clear();
      done.write(true);
      giveUp.clear();
    }

    @OnTimer("giveUp")
    public void giveUp(@StateId("parts") MapState<String, CallRecord> parts, @StateId("done") ValueState<Boolean> done,
        MultiOutputReceiver out) {
      List<CallRecord> arrived = new ArrayList<>();
      parts.values().read().forEach(arrived::add);
      if (Boolean.TRUE.equals(done.read()) || arrived.isEmpty()) {
        return;
      }
      AudioPart part = arrived.get(0).getPart();
      AudioArrival call = part.getParentArrival();
      String message = arrived.size() + " of the call's " + part.getPartCount()
          + " parts were transcribed; the dead letters of the others (call ids " + call.getCallId()
          + "-*) say why";
      metrics.incTenant("dead_letters", call.getTenantId(), 1);
      DeadLetter deadLetter = DeadLetters.of(STAGE, ErrorCode.AUDIO_PARTS_MISSING, message, call, 1, encoder, call);
      KeyValuesInMdc.forDeadLetter(LOG.atWarn(), deadLetter).log("call dead-lettered");
      out.get(DeadLetters.TAG).output(deadLetter);
      parts.clear();
      done.write(true);
    }
  }
}
