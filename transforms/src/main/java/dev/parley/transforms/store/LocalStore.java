package dev.parley.transforms.store;

import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.model.DeadLetter;
import java.util.List;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * The store of local runs: JSON Lines files under one folder (local or gs://), one file set per table and
 * run, named after the table: {@code calls-<run>-*.jsonl}, {@code segments-<run>-*.jsonl},
 * {@code tenant_usage-<run>-*.jsonl}, {@code calendar_matches-<run>-*.jsonl}, {@code calendar_attendees-<run>-*.jsonl},
 * {@code crm_sync-<run>-*.jsonl}, {@code dead_letters-<run>-*.jsonl}. Rows have the Spanner tables' columns
 * ({@link CallRows}).
 *
 * <p>Each run writes its own files, so earlier runs are never overwritten; readers take the union. An unbounded
 * input is written in one-minute windows, each pane a few seconds after its first row.
 */
public final class LocalStore {
  public static final String CALLS = "calls";
  public static final String SEGMENTS = "segments";
  public static final String TENANT_USAGE = "tenant_usage";
  public static final String CALENDAR_MATCHES = "calendar_matches";
  public static final String CALENDAR_ATTENDEES = "calendar_attendees";
  public static final String CRM_SYNC = "crm_sync";
  public static final String DEAD_LETTERS = "dead_letters";
  static final Duration STREAMING_WINDOW = Duration.standardMinutes(1);
  static final Duration STREAMING_DELAY = Duration.standardSeconds(5);

  private LocalStore() {}

  /** Writes the {@code calls}, {@code segments}, {@code tenant_usage} and both {@code calendar_*} tables. */
  public static PTransform<PCollection<CallRecord>, PDone> writeCalls(String outputDir, String runId) {
    return new PTransform<>() {
      @Override
      public PDone expand(PCollection<CallRecord> records) {
        records.apply("Calls", new WriteTable<>(outputDir, CALLS, runId, r -> List.of(CallRows.call(r))));
        records.apply("Segments", new WriteTable<>(outputDir, SEGMENTS, runId, CallRows::segments));
        records.apply("TenantUsage", new WriteTable<>(outputDir, TENANT_USAGE, runId, r -> List.of(CallRows.usage(r))));
        records.apply("CalendarMatches", new WriteTable<>(outputDir, CALENDAR_MATCHES, runId, CallRows::calendarMatch));
        records.apply("CalendarAttendees", new WriteTable<>(outputDir, CALENDAR_ATTENDEES, runId, CallRows::calendarAttendees));
        return PDone.in(records.getPipeline());
      }
    };
  }

  /** Writes the {@code crm_sync} table. */
  public static PTransform<PCollection<CrmSync>, PDone> writeCrmSync(String outputDir, String runId) {
    return new WriteTable<>(outputDir, CRM_SYNC, runId, s -> List.of(CallRows.crmSync(s)));
  }

  /** Writes the {@code dead_letters} table. */
  public static PTransform<PCollection<DeadLetter>, PDone> writeDeadLetters(String outputDir, String runId) {
    return new WriteTable<>(outputDir, DEAD_LETTERS, runId, l -> List.of(CallRows.deadLetter(l)));
  }

  /** Turns each element into its rows of one table and writes them. */
  static final class WriteTable<T> extends PTransform<PCollection<T>, PDone> {
    private final String outputDir;
    private final String table;
    private final String runId;
    private final SerializableFunction<T, List<StoreRow>> rows;

    WriteTable(String outputDir, String table, String runId, SerializableFunction<T, List<StoreRow>> rows) {
      this.outputDir = outputDir;
      this.table = table;
      this.runId = runId;
      this.rows = rows;
    }

    @Override
    public PDone expand(PCollection<T> input) {
      PCollection<String> lines = input.apply("Rows", FlatMapElements.into(TypeDescriptors.strings())
          .via((T element) -> rows.apply(element).stream().map(row -> row.toJson().toString()).toList()));
      String prefix = (outputDir.endsWith("/") ? outputDir : outputDir + "/") + table + "-" + runId;
      TextIO.Write write = TextIO.write().to(prefix).withSuffix(".jsonl");
      if (lines.isBounded() == PCollection.IsBounded.UNBOUNDED) {
        // Written a few seconds after rows arrive, not when the watermark closes the window: an idle source may
        // not move the watermark for a long time, and a store is read by people waiting for their calls.
        lines = lines.apply("Window", Window.<String>into(FixedWindows.of(STREAMING_WINDOW))
            .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(STREAMING_DELAY)))
            .withAllowedLateness(Duration.ZERO)
            .discardingFiredPanes());
        write = write.withWindowedWrites().withNumShards(1);
      }
      lines.apply("Write", write);
      return PDone.in(input.getPipeline());
    }
  }
}
