package dev.parley.pipeline;

import dev.parley.model.AudioArrival;
import dev.parley.tenant.TenantConfigException;
import dev.parley.transforms.DropFolderLayout;
import dev.parley.transforms.DropFolderPoller;
import dev.parley.transforms.ParseArrival;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The main job: recordings from a drop folder (one pass, or watched) or from Pub/Sub (Cloud Storage
 * notifications, Parley arrival events) through every stage into the store and, when enabled, the tenants'
 * CRMs; failures into the dead letters. Watching and Pub/Sub make it a streaming job.
 */
public final class IngestPipeline {
  private IngestPipeline() {}

  public static void main(String[] args) throws Exception {
    JobLauncher.launch(args, IngestOptions.class, IngestPipeline::create, IngestPipeline::run);
  }

  private static void run(IngestOptions options, Pipeline pipeline) {
    PipelineResult result = pipeline.run();
    if (!DirectRunner.class.equals(options.getRunner())) {
      return; // The job runs on its runner's workers; a Flex Template launcher must submit it and exit.
    }
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("pipeline ended in state " + state);
    }
  }

  public static Pipeline create(IngestOptions options) throws TenantConfigException {
    boolean pubsub = options.getSubscription() != null && !options.getSubscription().isBlank();
    boolean dropFolder = options.getDropFolder() != null && !options.getDropFolder().isBlank();
    if (!pubsub && !dropFolder) {
      throw new IllegalArgumentException("--dropFolder or --subscription is required");
    }
    if (pubsub || options.getWatch()) {
      options.as(StreamingOptions.class).setStreaming(true);
    }
    ParleyGraph graph = ParleyGraph.start(options);
    @Nullable DropFolderLayout layout = dropFolder ? DropFolderLayout.at(ParleyGraph.absolute(options.getDropFolder())) : null;
    List<PCollection<AudioArrival>> doors = new ArrayList<>();
    if (dropFolder) {
      doors.add(graph.pipeline
          .apply("MatchDropFolder", options.getWatch()
              ? DropFolderPoller.of(layout, Duration.standardSeconds(options.getPollIntervalSeconds()),
                  Duration.standardMinutes(options.getLookbackMinutes()))
              : FileIO.match().filepattern(layout.root() + "**"))
          .apply("ParseFiles", ParseArrival.fromFiles(layout))
          .failuresTo(graph.failures));
    }
    if (pubsub) {
      doors.add(graph.pipeline
          .apply("ReadPubsub", PubsubIO.readMessagesWithAttributesAndMessageId().fromSubscription(options.getSubscription()))
          .apply("ParseMessages", ParseArrival.fromPubsub())
          .failuresTo(graph.failures));
    }
    return graph.finish(PCollectionList.of(doors).apply("AllArrivals", Flatten.pCollections()), layout);
  }
}
