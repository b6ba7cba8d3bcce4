package dev.parley.pipeline;

import dev.parley.model.AudioArrival;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.tenant.TenantConfigException;
import dev.parley.tenant.TenantConfigLoader;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tenant.TenantRegistry;
import dev.parley.transforms.DropFolderLayout;
import dev.parley.transforms.ParseArrival;
import dev.parley.transforms.ProcessCalls;
import dev.parley.transforms.StoreAndPushCalls;
import dev.parley.transforms.Transcribe;
import dev.parley.transforms.crm.WriteCallsToCrm;
import dev.parley.transforms.spanner.SpannerDatabase;
import dev.parley.transforms.spanner.SpannerTargets;
import dev.parley.transforms.store.LocalStore;
import dev.parley.transforms.transcribe.ModelEndpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * The main job: recordings from a drop folder (local or gs://) through every stage into the store (Spanner, or the
 * local store) and, when enabled, the tenants' CRMs; failures into the dead letters.
 */
public final class IngestPipeline {
  private IngestPipeline() {}

  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--help")) {
      PipelineOptionsFactory.printHelp(System.out, IngestOptions.class);
      return;
    }
    PipelineOptionsFactory.register(IngestOptions.class);
    IngestOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().as(IngestOptions.class);
    Pipeline pipeline;
    try {
      pipeline = create(options);
    } catch (TenantConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("pipeline ended in state " + state);
    }
  }

  /**
   * Builds the job. The tenant config is loaded once here, so a job with an invalid config is refused at launch
   * with every problem listed, instead of failing on the workers.
   */
  public static Pipeline create(IngestOptions options) throws TenantConfigException {
    requireOption(options.getDropFolder(), "--dropFolder");
    requireOption(options.getOutputDir(), "--outputDir");
    FileSystems.setDefaultPipelineOptions(options);
    TenantConfigSpec tenants = tenantConfig(options);
    TenantRegistry registry = TenantConfigLoader.load(tenants.locations());

    String dropRoot = absolute(options.getDropFolder());
    DropFolderLayout layout = DropFolderLayout.at(dropRoot);
    String runId = options.getRunId() != null ? options.getRunId() : newRunId();
    ModelEndpoints endpoints = ModelEndpoints.googleDefault()
        .withGemini(options.getGeminiEndpoint())
        .withSpeech(options.getSpeechEndpoint());

    Pipeline pipeline = Pipeline.create(options);
    // The default Metadata coder drops lastModifiedMillis, which is the version of a local file (its call id).
    pipeline.getCoderRegistry().registerCoderForClass(MatchResult.Metadata.class, MetadataCoderV2.of());
    List<PCollection<DeadLetter>> failures = new ArrayList<>();
    PCollection<AudioArrival> arrivals = pipeline
        .apply("MatchDropFolder", FileIO.match().filepattern(layout.root() + "**"))
        .apply("ParseArrival", ParseArrival.fromFiles(layout))
        .failuresTo(failures);
    PCollection<CallRecord> calls = arrivals
        .apply("ProcessCalls", ProcessCalls.of(tenants, layout, Transcribe.using(tenants, endpoints)))
        .failuresTo(failures);
    failures.add(calls.apply("Sinks", sinks(options, tenants, registry, runId)));
    PCollectionList.of(failures)
        .apply("AllDeadLetters", Flatten.pCollections())
        .apply("StoreDeadLetters", LocalStore.writeDeadLetters(options.getOutputDir(), runId));
    return pipeline;
  }

  /**
   * The local store, or Spanner when the shared database is given: Beam needs every database in the graph, so the
   * databases tenants have of their own are taken from the tenant config loaded at launch.
   */
  static StoreAndPushCalls sinks(IngestOptions options, TenantConfigSpec tenants, TenantRegistry registry, String runId) {
    StoreAndPushCalls sinks = StoreAndPushCalls.toLocalStore(tenants, options.getOutputDir(), runId);
    List<String> spanner = Arrays.asList(options.getSpannerProject(), options.getSpannerInstance(), options.getSpannerDatabase());
    if (spanner.stream().anyMatch(v -> v != null && !v.isBlank())) {
      if (spanner.stream().anyMatch(v -> v == null || v.isBlank())) {
        throw new IllegalArgumentException("--spannerProject, --spannerInstance and --spannerDatabase go together");
      }
      SpannerDatabase shared = new SpannerDatabase(spanner.get(0), spanner.get(1), spanner.get(2));
      sinks = sinks.withSpanner(SpannerTargets.of(shared, registry), options.getSpannerEmulatorHost());
    }
    return options.getPushToCrm() ? sinks.withCrm(WriteCallsToCrm.using(tenants)) : sinks;
  }

  static TenantConfigSpec tenantConfig(ParleyOptions options) {
    List<String> locations = Arrays.stream(options.getTenantConfig().split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).map(IngestPipeline::absolute).toList();
    return new TenantConfigSpec(locations, Duration.ofSeconds(options.getTenantConfigReloadSeconds()));
  }

  /** Local paths are made absolute: workers may not share the launcher's working directory. */
  static String absolute(String location) {
    return location.contains("://") ? location : Path.of(location).toAbsolutePath().normalize().toString();
  }

  static String newRunId() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
  }

  private static void requireOption(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }
}
