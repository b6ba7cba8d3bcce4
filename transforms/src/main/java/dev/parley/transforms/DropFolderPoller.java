package dev.parley.transforms;

import dev.parley.transforms.metrics.StageMetrics;
import java.io.IOException;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a drop folder (local or gs://) while a streaming job runs: every {@code interval} it lists the folder
 * and emits the recordings modified within the last {@code lookback}, once they have been still for
 * {@code settle} (a local file being written changes its modification time; a GCS object appears only whole).
 *
 * <p>Each file version (name and modification time) is emitted once: every listing names the recent files again,
 * and a file refused at the door (an unsafe name, an unknown tenant) must not be dead-lettered at every listing.
 * Unlike {@code FileIO.match().continuously()}, whose seen-set grows with every file ever matched, the versions
 * are remembered by {@link Dedupe#byFileVersion}, keyed across workers, for its window (24 h): the lookback must
 * be shorter, so a file can only be listed again while its version is still remembered. A job stopped for longer than the lookback misses what arrived meanwhile: backfill that gap.
 */
public final class DropFolderPoller extends PTransform<PBegin, PCollection<MatchResult.Metadata>> {
  static final String STAGE = "DropFolderPoller";
  private final DropFolderLayout layout;
  private final Duration interval;
  private final Duration lookback;
  private final Duration settle;

  private DropFolderPoller(DropFolderLayout layout, Duration interval, Duration lookback, Duration settle) {
    if (!lookback.isShorterThan(Dedupe.DEFAULT_WINDOW)) {
      throw new IllegalArgumentException("the lookback (" + lookback + ") must be shorter than the dedupe window ("
          + Dedupe.DEFAULT_WINDOW + "), or old recordings would be transcribed again");
    }
    this.layout = layout;
    this.interval = interval;
    this.lookback = lookback;
    this.settle = settle;
  }

  public static DropFolderPoller of(DropFolderLayout layout, Duration interval, Duration lookback) {
    return new DropFolderPoller(layout, interval, lookback, Duration.standardSeconds(5));
  }

  public DropFolderPoller withSettle(Duration settle) {
    return new DropFolderPoller(layout, interval, lookback, settle);
  }

  @Override
  public PCollection<MatchResult.Metadata> expand(PBegin begin) {
    return begin
        .apply("Tick", GenerateSequence.from(0).withRate(1, interval))
        .apply("ListRecent", ParDo.of(new ListRecentFn(layout.root(), lookback, settle)))
        .setCoder(MetadataCoderV2.of())
        .apply("FirstPerFileVersion", Dedupe.byFileVersion());
  }

  static final class ListRecentFn extends DoFn<Long, MatchResult.Metadata> {
    private static final Logger LOG = LoggerFactory.getLogger(ListRecentFn.class);
    private final String root;
    private final Duration lookback;
    private final Duration settle;
    private final StageMetrics metrics = new StageMetrics(STAGE);

    ListRecentFn(String root, Duration lookback, Duration settle) {
      this.root = root;
      this.lookback = lookback;
      this.settle = settle;
    }

    @ProcessElement
    public void process(OutputReceiver<MatchResult.Metadata> out) {
      long now = Instant.now().getMillis();
      try {
        MatchResult listing = FileSystems.match(root + "**", EmptyMatchTreatment.ALLOW);
        for (MatchResult.Metadata file : listing.metadata()) {
          long modified = file.lastModifiedMillis();
          if (modified < now - lookback.getMillis()) {
            continue;
          }
          if (modified > now - settle.getMillis()) {
            metrics.inc("not_yet_settled");
            continue;
          }
          out.output(file);
        }
        metrics.inc("polls");
      } catch (IOException e) {
        // One failed listing is retried at the next tick; failing the bundle would stop the watch.
        metrics.inc("failed_polls");
        LOG.atWarn().log("cannot list drop folder {}: {}", root, e.toString());
      }
    }
  }
}
