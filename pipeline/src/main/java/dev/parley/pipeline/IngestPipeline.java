package dev.parley.pipeline;

import dev.parley.model.AudioArrival;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.tenant.TenantConfigException;
import dev.parley.tenant.TenantConfigLoader;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.DropFolderLayout;
import dev.parley.transforms.ParseArrival;
import dev.parley.transforms.ProcessCalls;
import dev.parley.transforms.Transcribe;
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
 * The main job: recordings from a drop folder (local or gs://) through every stage into the store, failures
 * into the dead letters.
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
    TenantConfigLoader.load(tenants.locations());

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
        .apply("ProcessCalls", ProcessCalls.of(tenants, layout, Transcribe.using(tenants, endpoints), workDir(options)))
        .failuresTo(failures);
    calls.apply("StoreCalls", LocalStore.writeCalls(options.getOutputDir(), runId));
    PCollectionList.of(failures)
        .apply("AllDeadLetters", Flatten.pCollections())
        .apply("StoreDeadLetters", LocalStore.writeDeadLetters(options.getOutputDir(), runId));
    return pipeline;
  }

  static String workDir(ParleyOptions options) {
    if (options.getWorkDir() != null && !options.getWorkDir().isBlank()) {
      return absolute(options.getWorkDir());
    }
    String output = absolute(options.getOutputDir());
    return output.endsWith("/") ? output + "work" : output + "/work";
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
