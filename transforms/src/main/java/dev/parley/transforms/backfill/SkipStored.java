package dev.parley.transforms.backfill;

import dev.parley.model.AudioArrival;
import dev.parley.transforms.metrics.StageMetrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Drops the arrivals whose call is already stored, so a backfill run twice does no model work the second time.
 * A join on call id, not a side input: a store may hold millions of calls.
 */
public final class SkipStored extends PTransform<PCollection<AudioArrival>, PCollection<AudioArrival>> {
  static final String STAGE = "Backfill";
  private static final TupleTag<AudioArrival> ARRIVALS = new TupleTag<>("arrivals") {};
  private static final TupleTag<String> STORED = new TupleTag<>("stored") {};

  private final PCollection<String> storedCallIds;

  private SkipStored(PCollection<String> storedCallIds) {
    this.storedCallIds = storedCallIds;
  }

  public static SkipStored given(PCollection<String> storedCallIds) {
    return new SkipStored(storedCallIds);
  }

  @Override
  public PCollection<AudioArrival> expand(PCollection<AudioArrival> arrivals) {
    return KeyedPCollectionTuple
        .of(ARRIVALS, arrivals.apply("KeyArrivals", WithKeys.of(AudioArrival::getCallId).withKeyType(TypeDescriptors.strings())))
        .and(STORED, storedCallIds.apply("KeyStored", WithKeys.of((String id) -> id).withKeyType(TypeDescriptors.strings())))
        .apply("JoinOnCallId", CoGroupByKey.create())
        .apply("NotYetStored", ParDo.of(new NotStoredFn()))
        .setCoder(arrivals.getCoder());
  }

  static final class NotStoredFn extends DoFn<KV<String, CoGbkResult>, AudioArrival> {
    private final StageMetrics metrics = new StageMetrics(STAGE);

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, OutputReceiver<AudioArrival> out) {
      boolean stored = joined.getValue().getAll(STORED).iterator().hasNext();
      for (AudioArrival arrival : joined.getValue().getAll(ARRIVALS)) {
        if (stored) {
          metrics.incTenant("skipped", arrival.getTenantId(), 1);
        } else {
          metrics.incTenant("queued", arrival.getTenantId(), 1);
          out.output(arrival);
        }
      }
    }
  }
}
