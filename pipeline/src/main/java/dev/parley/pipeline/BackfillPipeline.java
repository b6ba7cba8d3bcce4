package dev.parley.pipeline;

import dev.parley.model.AudioArrival;
import dev.parley.tenant.TenantConfigException;
import dev.parley.transforms.DropFolderLayout;
import dev.parley.transforms.ParseArrival;
import dev.parley.transforms.backfill.OnlyTenant;
import dev.parley.transforms.backfill.SkipStored;
import dev.parley.transforms.backfill.StoredCallIds;
import dev.parley.transforms.backfill.TimeRange;
import dev.parley.transforms.batch.GeminiBatchMode;
import dev.parley.transforms.metrics.CountElements;
import dev.parley.transforms.spanner.SpannerDatabase;
import dev.parley.transforms.spanner.SpannerTargets;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The batch backfill: recordings under a prefix (or listed in a manifest), in a time range, optionally of one
 * tenant, through the same processing and sinks as the streaming job. Calls already stored are skipped unless
 * {@code --reprocess}, so a backfill run twice does no model work the second time; progress is logged while it runs
 * and kept as Beam counters ({@code parley.Backfill}: matched, skipped, queued).
 */
public final class BackfillPipeline {
  private BackfillPipeline() {}

  public static void main(String[] args) throws Exception {
    JobLauncher.launch(args, BackfillOptions.class, BackfillPipeline::create, BackfillPipeline::run);
  }

  private static void run(BackfillOptions options, Pipeline pipeline) {
    if (!DirectRunner.class.equals(options.getRunner())) {
      // The job runs on its runner's workers, its progress on the parley.Backfill counters; a Flex Template launcher
      // must submit it and exit.
      pipeline.run();
      return;
    }
    // The DirectRunner blocks in run() unless told otherwise; progress needs the job to run in the background.
    options.as(DirectOptions.class).setBlockOnRun(false);
    PipelineResult.State state = BackfillProgress.runAndReport(pipeline.run(),
        Duration.standardSeconds(options.getProgressSeconds()), System.out);
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("backfill ended in state " + state);
    }
  }

  public static Pipeline create(BackfillOptions options) throws TenantConfigException {
    String source = options.getSource() != null ? options.getSource() : options.getDropFolder();
    if (source == null && options.getManifest() == null) {
      throw new IllegalArgumentException("--source, --dropFolder or --manifest is required");
    }
    ParleyGraph graph = ParleyGraph.start(options);
    @Nullable DropFolderLayout layout = options.getDropFolder() == null
        ? null : DropFolderLayout.at(ParleyGraph.absolute(options.getDropFolder()));
    PCollection<MatchResult.Metadata> files = options.getManifest() != null
        ? graph.pipeline
            .apply("ReadManifest", TextIO.read().from(ParleyGraph.absolute(options.getManifest())))
            .apply("Listed", Filter.by((String line) -> !line.isBlank() && !line.startsWith("#")))
            .apply("MatchListed", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        : graph.pipeline.apply("MatchSource", FileIO.match().filepattern(folder(ParleyGraph.absolute(source)) + "**"));
    TimeRange range = TimeRange.of(options.getFrom(), options.getTo(), options.getTimeBasis());
    PCollection<AudioArrival> arrivals = files
        .apply("InTimeRange", Filter.by(range::contains))
        .apply("ParseArrival", ParseArrival.fromFiles(layout))
        .failuresTo(graph.failures);
    if (options.getTenant() != null) {
      arrivals = arrivals.apply("OnlyTenant", OnlyTenant.of(options.getTenant(), graph.tenants));
    }
    arrivals = arrivals.apply("Matched", CountElements.as(BackfillProgress.NAMESPACE, "matched"));
    if (!options.getReprocess()) {
      PCollection<String> stored = graph.pipeline.apply("StoredCalls", storedCallIds(graph, options));
      arrivals = arrivals.apply("SkipStored", SkipStored.given(stored));
    }
    if (options.getModelBatchMode()) {
      graph.transcribeThroughBatchApi(GeminiBatchMode.of(java.time.Duration.ofSeconds(options.getModelBatchPollSeconds()),
          java.time.Duration.ofMinutes(options.getModelBatchDeadlineMinutes())));
    }
    return graph.finish(arrivals, layout);
  }

  /**
   * Where the job stores calls is where it looks for those already stored: the local store, or the Spanner databases
   * of the tenants in scope (with {@code --tenant}, that tenant's database and key range only).
   */
  private static PTransform<PBegin, PCollection<String>> storedCallIds(ParleyGraph graph, BackfillOptions options) {
    Optional<SpannerTargets> spanner = graph.spannerTargets();
    if (spanner.isEmpty()) {
      return StoredCallIds.inLocalStore(options.getOutputDir());
    }
    String tenant = options.getTenant();
    List<SpannerDatabase> databases = tenant == null
        ? spanner.get().databases()
        : graph.registry.find(tenant).flatMap(spanner.get()::databaseOf).stream().toList();
    return StoredCallIds.inSpanner(databases, tenant, options.getSpannerEmulatorHost());
  }

  private static String folder(String prefix) {
    return prefix.endsWith("/") ? prefix : prefix + "/";
  }
}
