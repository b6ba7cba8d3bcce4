package dev.parley.transforms;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.AudioArrival;
import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.transforms.arrival.PubsubArrivals;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.metrics.StageMetrics;
import java.io.IOException;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The first shared stage: turns what a front door delivers into {@link AudioArrival}s. Names that are not
 * finished recordings (temporary uploads, dotfiles, sidecars) are skipped and counted; names that are unsafe
 * or outside the tenant layout become dead letters.
 */
public final class ParseArrival {
  static final String STAGE = "ParseArrival";
  static final TupleTag<AudioArrival> ARRIVALS = new TupleTag<>("arrivals") {};
  private static final ObjectMapper JSON = new ObjectMapper();

  private ParseArrival() {}

  /**
   * Arrivals from matched files: of a drop folder laid out as {@code {root}/{tenantId}/...}, or, with a null
   * layout, of tenants' configured sources, whose owner {@code ResolveTenant} finds.
   */
  public static FromFiles fromFiles(@Nullable DropFolderLayout layout) {
    return new FromFiles(layout);
  }

  /**
   * Arrivals from Pub/Sub: Cloud Storage notifications and Parley's arrival events (see {@link PubsubArrivals}).
   * Other notification types are counted and ignored; a recording whose size the event left out is looked up.
   */
  public static FromPubsub fromPubsub() {
    return new FromPubsub();
  }

  /** See {@link #fromPubsub}. */
  public static final class FromPubsub
      extends PTransform<PCollection<PubsubMessage>, WithFailures.Result<PCollection<AudioArrival>, DeadLetter>> {
    @Override
    public WithFailures.Result<PCollection<AudioArrival>, DeadLetter> expand(PCollection<PubsubMessage> messages) {
      PCollectionTuple out = messages.apply("ParseMessage",
          ParDo.of(new ParseMessageFn()).withOutputTags(ARRIVALS, TupleTagList.of(DeadLetters.TAG)));
      return WithFailures.Result.of(out, ARRIVALS, DeadLetters.TAG);
    }
  }

  static final class ParseMessageFn extends DoFn<PubsubMessage, AudioArrival> {
    private final StageMetrics metrics = new StageMetrics(STAGE);

    @ProcessElement
    public void process(@Element PubsubMessage message, @Timestamp Instant publishTime, MultiOutputReceiver out) {
      PubsubArrivals.Parsed parsed = PubsubArrivals.parse(message, publishTime);
      if (parsed.ignoredBecause() != null) {
        metrics.inc("ignored_notifications/" + parsed.ignoredBecause());
        return;
      }
      if (parsed.arrival() == null) {
        refuse(out, message, parsed.code(), parsed.message(), null);
        return;
      }
      AudioArrival arrival = parsed.arrival();
      Optional<String> problem = ObjectNames.problem(arrival.getSourceUri());
      if (problem.isPresent()) {
        refuse(out, message, ErrorCode.PATH_INVALID, problem.get(), arrival);
        return;
      }
      if (arrival.getSizeBytes() == PubsubArrivals.UNKNOWN_SIZE) {
        try {
          arrival = arrival.toBuilder()
              .setSizeBytes(FileSystems.matchSingleFileSpec(arrival.getSourceUri()).sizeBytes()).build();
        } catch (IOException e) {
          refuse(out, message, ErrorCode.AUDIO_READ_FAILED,
              "the event names a recording that cannot be found: " + e.getClass().getSimpleName(), arrival);
          return;
        }
      }
      metrics.incTenant("arrivals", arrival.getTenantId(), 1);
      out.get(ARRIVALS).output(arrival);
    }

    private void refuse(MultiOutputReceiver out, PubsubMessage message, ErrorCode code, String why,
        AudioArrival arrival) {
      metrics.inc("dead_letters");
      ObjectNode payload = JSON.createObjectNode().put("messageId", message.getMessageId());
      ObjectNode attributes = payload.putObject("attributes");
      if (message.getAttributeMap() != null) {
        message.getAttributeMap().forEach(attributes::put);
      }
      byte[] data = message.getPayload() == null ? new byte[0] : message.getPayload();
      payload.put("data", java.util.Base64.getEncoder().encodeToString(
          java.util.Arrays.copyOf(data, Math.min(data.length, PubsubArrivals.MAX_EVENT_BYTES))));
      out.get(DeadLetters.TAG).output(DeadLetters.of(STAGE, code, why, arrival, 1, "PubsubMessage", payload.toString()));
    }
  }

  /** See {@link #fromFiles}. */
  public static final class FromFiles
      extends PTransform<PCollection<MatchResult.Metadata>, WithFailures.Result<PCollection<AudioArrival>, DeadLetter>> {
    private final @Nullable DropFolderLayout layout;

    private FromFiles(@Nullable DropFolderLayout layout) {
      this.layout = layout;
    }

    @Override
    public WithFailures.Result<PCollection<AudioArrival>, DeadLetter> expand(PCollection<MatchResult.Metadata> files) {
      PCollectionTuple out = files.apply("ParseFile",
          ParDo.of(new ParseFileFn(layout)).withOutputTags(ARRIVALS, TupleTagList.of(DeadLetters.TAG)));
      return WithFailures.Result.of(out, ARRIVALS, DeadLetters.TAG);
    }
  }

  static final class ParseFileFn extends DoFn<MatchResult.Metadata, AudioArrival> {
    private final @Nullable DropFolderLayout layout;
    private final StageMetrics metrics = new StageMetrics(STAGE);

    ParseFileFn(@Nullable DropFolderLayout layout) {
      this.layout = layout;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) {
      String uri = file.resourceId().toString();
      if (ObjectNames.isSkipped(uri)) {
        metrics.inc("skipped_names");
        return;
      }
      Optional<String> problem = ObjectNames.problem(uri);
      if (problem.isPresent()) {
        fail(out, file, ErrorCode.PATH_INVALID, problem.get());
        return;
      }
      Optional<String> tenant = layout == null ? Optional.empty() : layout.tenantOf(uri);
      if (layout != null && tenant.isEmpty()) {
        fail(out, file, ErrorCode.PATH_OUTSIDE_TENANT_LAYOUT,
            "recording is not inside a tenant folder: expected " + layout.root() + "{tenantId}/...");
        return;
      }
      metrics.incTenant("arrivals", tenant.orElse(null), 1);
      out.get(ARRIVALS).output(AudioArrival.builder()
          .setCallId(CallIds.forObject(uri, file.lastModifiedMillis()))
          .setTenantId(tenant.orElse(null))
          .setSourceUri(uri)
          .setObjectGeneration(file.lastModifiedMillis() == 0 ? null : file.lastModifiedMillis())
          .setSizeBytes(file.sizeBytes())
          .setEventTime(file.lastModifiedMillis() == 0 ? Instant.now() : Instant.ofEpochMilli(file.lastModifiedMillis()))
          .build());
    }

    private void fail(MultiOutputReceiver out, MatchResult.Metadata file, ErrorCode code, String message) {
      metrics.inc("dead_letters");
      ObjectNode payload = JSON.createObjectNode()
          .put("resourceId", file.resourceId().toString())
          .put("sizeBytes", file.sizeBytes())
          .put("lastModifiedMillis", file.lastModifiedMillis());
      out.get(DeadLetters.TAG).output(DeadLetter.builder()
          .setStage(STAGE)
          .setErrorCode(code.name())
          .setMessage(message)
          .setSourceUri(file.resourceId().toString())
          .setFailedAt(Instant.now())
          .setPayloadType("FileMetadata")
          .setPayload(payload.toString())
          .build());
    }
  }
}
