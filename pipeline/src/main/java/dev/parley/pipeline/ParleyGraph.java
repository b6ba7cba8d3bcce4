package dev.parley.pipeline;

import dev.parley.model.AudioArrival;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.tenant.SecretRef;
import dev.parley.tenant.TenantConfigException;
import dev.parley.tenant.TenantConfigLoader;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tenant.TenantRegistry;
import dev.parley.transforms.DropFolderLayout;
import dev.parley.transforms.EnrichFromCalendar;
import dev.parley.transforms.ProcessCalls;
import dev.parley.transforms.StoreAndPushCalls;
import dev.parley.transforms.Transcribe;
import dev.parley.transforms.admission.AdmissionBackend;
import dev.parley.transforms.admission.RedisEndpoint;
import dev.parley.transforms.batch.GeminiBatchMode;
import dev.parley.transforms.calendar.CalendarEndpoints;
import dev.parley.transforms.crm.WriteCallsToCrm;
import dev.parley.transforms.deadletter.PublishDeadLetters;
import dev.parley.transforms.metrics.CountElements;
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
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What every Parley job shares after its front door: the tenant config (loaded at launch, so a job with an
 * invalid config is refused with every problem listed instead of failing on the workers), the call processing,
 * the sinks and the dead letters. The front doors differ only in how they make {@link AudioArrival}s.
 */
final class ParleyGraph {
  /** Counters of whole calls leaving processing: transcribed, dead_lettered. */
  static final String CALLS = "parley.Calls";
  final Pipeline pipeline;
  final TenantConfigSpec tenants;
  final TenantRegistry registry;
  final String runId;
  final List<PCollection<DeadLetter>> failures = new ArrayList<>();
  private final ParleyOptions options;
  private final AdmissionBackend admission;
  private @Nullable GeminiBatchMode batchMode;

  private ParleyGraph(ParleyOptions options) throws TenantConfigException {
    requireOption(options.getOutputDir(), "--outputDir");
    FileSystems.setDefaultPipelineOptions(options);
    this.options = options;
    this.admission = admission(options);
    this.tenants = tenantConfig(options);
    this.registry = TenantConfigLoader.load(tenants.locations());
    this.runId = options.getRunId() != null ? options.getRunId() : newRunId();
    this.pipeline = Pipeline.create(options);
    // The default Metadata coder drops lastModifiedMillis, which is the version of a local file (its call id).
    pipeline.getCoderRegistry().registerCoderForClass(MatchResult.Metadata.class, MetadataCoderV2.of());
  }

  static ParleyGraph start(ParleyOptions options) throws TenantConfigException {
    return new ParleyGraph(options);
  }

  /** Batch jobs: Gemini API calls go through the Gemini Batch API. */
  void transcribeThroughBatchApi(GeminiBatchMode mode) {
    this.batchMode = mode;
  }

  /** Processes the arrivals, stores and pushes the calls, and writes every dead letter of the job. */
  Pipeline finish(PCollection<AudioArrival> arrivals, @Nullable DropFolderLayout dropFolder) {
    ModelEndpoints endpoints = ModelEndpoints.googleDefault()
        .withGemini(options.getGeminiEndpoint())
        .withSpeech(options.getSpeechEndpoint());
    WithFailures.Result<PCollection<CallRecord>, DeadLetter> processed = arrivals
        .apply("ProcessCalls", ProcessCalls.of(tenants, dropFolder, transcribe(endpoints),
            EnrichFromCalendar.using(tenants, CalendarEndpoints.googleDefault().withBaseUrl(options.getCalendarEndpoint())),
            workDir()));
    failures.add(processed.failures().apply("CountDeadLettered", CountElements.as(CALLS, "dead_lettered")));
    PCollection<CallRecord> calls = processed.output().apply("CountTranscribed", CountElements.as(CALLS, "transcribed"));
    failures.add(calls.apply("Sinks", sinks()));
    PCollection<DeadLetter> deadLetters = PCollectionList.of(failures).apply("AllDeadLetters", Flatten.pCollections());
    deadLetters.apply("StoreDeadLetters", LocalStore.writeDeadLetters(deadLetterDir(), runId));
    if (options.getDeadLetterTopic() != null && !options.getDeadLetterTopic().isBlank()) {
      deadLetters.apply("PublishDeadLetters", PublishDeadLetters.to(options.getDeadLetterTopic()));
    }
    return pipeline;
  }

  /** Where the dead_letters table goes: {@code --deadLetterDir}, or the output folder. */
  private String deadLetterDir() {
    String dir = options.getDeadLetterDir();
    return dir == null || dir.isBlank() ? options.getOutputDir() : absolute(dir);
  }

  private Transcribe transcribe(ModelEndpoints endpoints) {
    Transcribe transcribe = Transcribe.using(tenants, endpoints)
        .withAdmission(admission)
        .withMaxAttempts(options.getModelMaxAttempts())
        .withMaxInvalidAnswers(options.getModelMaxInvalidAnswers())
        .withRequestTimeout(org.joda.time.Duration.standardSeconds(options.getModelRequestTimeoutSeconds()));
    return batchMode == null ? transcribe : transcribe.withBatchMode(batchMode);
  }

  /** The local store, or Spanner when the shared database is given ({@link #spannerTargets}). */
  private StoreAndPushCalls sinks() {
    SinkOptions sinkOptions = options.as(SinkOptions.class);
    StoreAndPushCalls sinks = StoreAndPushCalls.toLocalStore(tenants, options.getOutputDir(), runId);
    Optional<SpannerTargets> spanner = spannerTargets();
    if (spanner.isPresent()) {
      sinks = sinks.withSpanner(spanner.get(), sinkOptions.getSpannerEmulatorHost());
    }
    return sinkOptions.getPushToCrm() ? sinks.withCrm(WriteCallsToCrm.using(tenants)) : sinks;
  }

  /**
   * The Spanner databases calls are stored in, when the shared database is given (else the local store is used):
   * Beam needs every database in the graph, so the databases tenants have of their own are taken from the tenant
   * config loaded at launch.
   */
  Optional<SpannerTargets> spannerTargets() {
    SinkOptions sinkOptions = options.as(SinkOptions.class);
    List<String> spanner = Arrays.asList(
        sinkOptions.getSpannerProject(), sinkOptions.getSpannerInstance(), sinkOptions.getSpannerDatabase());
    if (spanner.stream().allMatch(v -> v == null || v.isBlank())) {
      return Optional.empty();
    }
    if (spanner.stream().anyMatch(v -> v == null || v.isBlank())) {
      throw new IllegalArgumentException("--spannerProject, --spannerInstance and --spannerDatabase go together");
    }
    SpannerDatabase shared = new SpannerDatabase(spanner.get(0), spanner.get(1), spanner.get(2));
    return Optional.of(SpannerTargets.of(shared, registry));
  }

  /** Where derived audio goes: {@code --workDir}, or {@code work/} in the output folder. */
  private String workDir() {
    if (options.getWorkDir() != null && !options.getWorkDir().isBlank()) {
      return absolute(options.getWorkDir());
    }
    String output = absolute(options.getOutputDir());
    return output.endsWith("/") ? output + "work" : output + "/work";
  }

  /** Redis when {@code --admissionRedis} is given (checked at launch), else each worker's own. */
  static AdmissionBackend admission(ParleyOptions options) {
    String redis = options.getAdmissionRedis();
    if (redis == null || redis.isBlank()) {
      return AdmissionBackend.local();
    }
    String auth = options.getAdmissionRedisAuth();
    SecretRef secret = auth == null || auth.isBlank() ? null : SecretRef.parse(auth);
    return AdmissionBackend.redis(new RedisEndpoint(redis.strip(), secret, options.getAdmissionRedisKeyPrefix()));
  }

  static TenantConfigSpec tenantConfig(ParleyOptions options) {
    List<String> locations = Arrays.stream(options.getTenantConfig().split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).map(ParleyGraph::absolute).toList();
    return new TenantConfigSpec(locations, Duration.ofSeconds(options.getTenantConfigReloadSeconds()));
  }

  /** Local paths are made absolute: workers may not share the launcher's working directory. */
  static String absolute(String location) {
    return location.contains("://") ? location : Path.of(location).toAbsolutePath().normalize().toString();
  }

  static String newRunId() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
  }

  static void requireOption(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }
}
