package dev.parley.transforms.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.spanner.Statement;
import com.google.cloud.spanner.Struct;
import dev.parley.transforms.spanner.SpannerDatabase;
import dev.parley.transforms.store.CallRows;
import dev.parley.transforms.store.LocalStore;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.gcp.spanner.SpannerIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

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

  /**
   * The {@code Calls} keys in each of these Spanner databases, read with {@code SpannerIO} (a partitioned query, so
   * a table of millions of calls is read by many workers): only the key columns, and with {@code tenantId} only
   * that tenant's key range, never the other tenants' rows.
   *
   * @param emulatorHost where to read instead of Google's endpoint (the emulator or a stand-in); null for Spanner
   */
  public static PTransform<PBegin, PCollection<String>> inSpanner(List<SpannerDatabase> databases,
      @Nullable String tenantId, @Nullable String emulatorHost) {
    Statement keys = tenantId == null
        ? Statement.of("SELECT CallId FROM " + CallRows.CALLS)
        : Statement.newBuilder("SELECT CallId FROM " + CallRows.CALLS + " WHERE TenantId = @tenantId")
            .bind("tenantId").to(tenantId).build();
    return new PTransform<>() {
      @Override
      public PCollection<String> expand(PBegin begin) {
        // Empty when --tenant names no configured tenant: nothing of it is stored.
        PCollectionList<String> ids = PCollectionList.empty(begin.getPipeline());
        for (SpannerDatabase database : databases) {
          SpannerIO.Read read = SpannerIO.read()
              .withProjectId(database.project())
              .withInstanceId(database.instance())
              .withDatabaseId(database.database())
              .withQuery(keys);
          ids = ids.and(begin
              .apply("ReadCallKeys[" + database + "]", emulatorHost == null ? read : read.withEmulatorHost(emulatorHost))
              .apply("CallIds[" + database + "]", MapElements.into(TypeDescriptors.strings())
                  .via((Struct row) -> row.getString("CallId"))));
        }
        return ids.apply("AllStoredCallIds", Flatten.pCollections()).setCoder(StringUtf8Coder.of());
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
