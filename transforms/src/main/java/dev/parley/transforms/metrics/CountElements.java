package dev.parley.transforms.metrics;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** Passes elements through unchanged, counting them on a Beam counter: progress a job can report while it runs. */
public final class CountElements<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private final String namespace;
  private final String name;

  private CountElements(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  public static <T> CountElements<T> as(String namespace, String name) {
    return new CountElements<>(namespace, name);
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    return input.apply(ParDo.of(new CountFn<T>(namespace, name))).setCoder(input.getCoder());
  }

  static final class CountFn<T> extends DoFn<T, T> {
    private final Counter counter;

    CountFn(String namespace, String name) {
      this.counter = Metrics.counter(namespace, name);
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) {
      counter.inc();
      out.output(element);
    }
  }
}
