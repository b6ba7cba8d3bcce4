package dev.parley.transforms.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * The store of local runs: JSON Lines files under one folder (local or gs://), one file set per table and
 * run, named after the table: {@code calls-<run>-*.jsonl}, {@code segments-<run>-*.jsonl},
 * {@code dead_letters-<run>-*.jsonl}. Rows have the Spanner tables' columns ({@link CallRows}).
 *
 * <p>Each run writes its own files, so earlier runs are never overwritten; readers take the union. An unbounded
 * input is written in one-minute windows.
 */
public final class LocalStore {
  public static final String CALLS = "calls";
  public static final String SEGMENTS = "segments";
  public static final String DEAD_LETTERS = "dead_letters";
  static final Duration STREAMING_WINDOW = Duration.standardMinutes(1);

  private LocalStore() {}

  public static WriteCalls writeCalls(String outputDir, String runId) {
    return new WriteCalls(outputDir, runId);
  }

  public static WriteDeadLetters writeDeadLetters(String outputDir, String runId) {
    return new WriteDeadLetters(outputDir, runId);
  }

  /** Writes the {@code calls} and {@code segments} tables. */
  public static final class WriteCalls extends PTransform<PCollection<CallRecord>, PDone> {
    private final String outputDir;
    private final String runId;

    private WriteCalls(String outputDir, String runId) {
      this.outputDir = outputDir;
      this.runId = runId;
    }

    @Override
    public PDone expand(PCollection<CallRecord> records) {
      records
          .apply("CallRows", MapElements.into(TypeDescriptors.strings()).via(r -> CallRows.call(r).toString()))
          .apply("WriteCalls", table(outputDir, CALLS, runId));
      records
          .apply("SegmentRows", FlatMapElements.into(TypeDescriptors.strings())
              .via(r -> CallRows.segments(r).stream().map(ObjectNode::toString).toList()))
          .apply("WriteSegments", table(outputDir, SEGMENTS, runId));
      return PDone.in(records.getPipeline());
    }
  }

  /** Writes the {@code dead_letters} table. */
  public static final class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PDone> {
    private final String outputDir;
    private final String runId;

    private WriteDeadLetters(String outputDir, String runId) {
      this.outputDir = outputDir;
      this.runId = runId;
    }

    @Override
    public PDone expand(PCollection<DeadLetter> letters) {
      letters
          .apply("DeadLetterRows", MapElements.into(TypeDescriptors.strings()).via(l -> CallRows.deadLetter(l).toString()))
          .apply("WriteDeadLetters", table(outputDir, DEAD_LETTERS, runId));
      return PDone.in(letters.getPipeline());
    }
  }

  private static PTransform<PCollection<String>, PDone> table(String outputDir, String table, String runId) {
    return new PTransform<>() {
      @Override
      public PDone expand(PCollection<String> rows) {
        String prefix = (outputDir.endsWith("/") ? outputDir : outputDir + "/") + table + "-" + runId;
        TextIO.Write write = TextIO.write().to(prefix).withSuffix(".jsonl");
        if (rows.isBounded() == PCollection.IsBounded.UNBOUNDED) {
          rows = rows.apply("Window", Window.into(FixedWindows.of(STREAMING_WINDOW)));
          write = write.withWindowedWrites().withNumShards(1);
        }
        rows.apply("Write", write);
        return PDone.in(rows.getPipeline());
      }
    };
  }
}
