package dev.parley.transforms.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.transforms.store.LocalStore;
import java.io.IOException;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/** The ids of the calls a store already holds: what a backfill skips. */
public final class StoredCallIds {
  private StoredCallIds() {}

  /** Every run's {@code calls-*.jsonl} under the local store's folder (none yet is fine). */
  public static PTransform<PBegin, PCollection<String>> inLocalStore(String outputDir) {
    String pattern = (outputDir.endsWith("/") ? outputDir : outputDir + "/") + LocalStore.CALLS + "-*";
    return new PTransform<>() {
      @Override
      public PCollection<String> expand(PBegin begin) {
        return begin
            .apply("ReadCalls", TextIO.read().from(pattern).withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply("CallIds", ParDo.of(new CallIdFn()));
      }
    };
  }

  static final class CallIdFn extends DoFn<String, String> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ProcessElement
    public void process(@Element String row, OutputReceiver<String> out) throws IOException {
      JsonNode callId = JSON.readTree(row).path("CallId");
      if (callId.isTextual()) {
        out.output(callId.asText());
      }
    }
  }
}
