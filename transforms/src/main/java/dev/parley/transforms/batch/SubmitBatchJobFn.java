package dev.parley.transforms.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.metrics.StageMetrics;
import dev.parley.transforms.transcribe.CallOutcome;
import dev.parley.transforms.transcribe.CallOutcomes;
import dev.parley.transforms.transcribe.GeminiEngine;
import dev.parley.transforms.transcribe.ModelEndpoints;
import dev.parley.transforms.transcribe.TranscriptionException;
import dev.parley.transforms.transcribe.TranscriptionRequest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Creates one batch job from a group of one tenant's calls: each call's request (the one an online attempt would
 * send, {@link GeminiEngine#batchRequest}) becomes a JSON Lines line {@code {"key", "request"}}, the file is uploaded
 * and the job created on the tenant's model. Outputs the job, and each submitted call keyed by its line's key, to
 * meet its answer later. A call whose request cannot be made (its audio unreadable) is dead-lettered alone; when
 * the job cannot be created, its calls are dead-lettered ({@code MODEL_BATCH_SUBMIT_FAILED}, replayable).
 */
final class SubmitBatchJobFn extends BatchJobsFn<KV<String, Iterable<ProbedAudio>>, BatchJobRef> {
  static final TupleTag<BatchJobRef> JOBS = new TupleTag<>("jobs") {};
  static final TupleTag<KV<String, ProbedAudio>> SUBMITTED = new TupleTag<>("submitted") {};
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Time to read or upload one call's audio into its request. */
  private static final Duration PREPARE_TIMEOUT = Duration.ofMinutes(10);

  private final PayloadEncoder<ProbedAudio> encoder;

  SubmitBatchJobFn(TenantConfigSpec tenants, ModelEndpoints endpoints, PayloadEncoder<ProbedAudio> encoder) {
    super(tenants, endpoints);
    this.encoder = encoder;
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<ProbedAudio>> group, MultiOutputReceiver out) throws IOException {
    String tenantId = group.getKey();
    Optional<TenantConfig> found = registry.current().find(tenantId);
    if (found.isEmpty()) {
      group.getValue().forEach(c -> deadLetter(out, c, ErrorCode.TENANT_UNKNOWN, "tenant left the config"));
      return;
    }
    TenantConfig tenant = found.get();
    String model = tenant.transcription().model();
    Map<String, ProbedAudio> submitted = new LinkedHashMap<>();
    List<BatchJobRef.Line> lines = new ArrayList<>();
    Path requests = Files.createTempFile("parley-batch-requests", ".jsonl");
    try {
      try (BufferedWriter writer = Files.newBufferedWriter(requests, StandardCharsets.UTF_8)) {
        for (ProbedAudio call : group.getValue()) {
          String key = TranscribeInBatch.lineKey(call);
          try {
            GeminiEngine.BatchRequest request = engine.batchRequest(new TranscriptionRequest(tenant, call, PREPARE_TIMEOUT));
            writer.write(JSON.createObjectNode().put("key", key).set("request", request.request()).toString());
            writer.newLine();
            lines.add(new BatchJobRef.Line(key, request.audioSha256()));
            submitted.put(key, call);
          } catch (TranscriptionException e) {
            deadLetter(out, call, e.code(), e.getMessage());
          }
        }
      }
      if (lines.isEmpty()) {
        return;
      }
      String jobName;
      try {
        jobName = jobs.create(tenant, model, requests, "parley-" + tenantId + "-" + System.currentTimeMillis());
      } catch (TranscriptionException e) {
        submitted.values().forEach(c -> deadLetter(out, c, ErrorCode.MODEL_BATCH_SUBMIT_FAILED,
            "batch job not created (" + e.code() + "): " + e.getMessage()));
        return;
      }
      metrics.incTenant("batch_jobs_created", tenantId, 1);
      metrics.incTenant("batch_calls_submitted", tenantId, lines.size());
      out.get(JOBS).output(new BatchJobRef(tenantId, model, jobName, System.currentTimeMillis(), lines));
      submitted.forEach((key, call) -> out.get(SUBMITTED).output(KV.of(key, call)));
    } finally {
      Files.deleteIfExists(requests);
    }
  }

  private void deadLetter(MultiOutputReceiver out, ProbedAudio call, ErrorCode code, String message) {
    StageMetrics.Deltas deltas = new StageMetrics.Deltas();
    CallOutcome outcome = CallOutcomes.failed(TranscribeInBatch.STAGE, encoder, call, code, message, 0, deltas);
    metrics.apply(deltas);
    out.get(DeadLetters.TAG).output(outcome.letter());
  }
}
