package dev.parley.transforms.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.types.BatchJob;
import com.google.genai.types.BatchJobDestination;
import com.google.genai.types.JobState;
import dev.parley.model.ErrorCode;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.logging.KeyValuesInMdc;
import dev.parley.transforms.metrics.ThrottledWaits;
import dev.parley.transforms.transcribe.ModelEndpoints;
import dev.parley.transforms.transcribe.TranscriptionException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.values.KV;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for one batch job and emits its answers keyed by line. The job is polled ({@code batches.get}) with a
 * backoff that grows to the poll interval; between polls the thread sleeps and the wait is reported on Beam's
 * {@code throttling-msecs}, so Dataflow does not add workers for a step that is only waiting.
 *
 * <p>Why a sleeping poll rather than a splittable DoFn that resumes later, or timers: a DoFn that returns
 * {@code resume()} must be unbounded per element, which would make everything after it an unbounded collection
 * (streaming semantics, and the Spanner sink's bounded join no longer applies); batch runners do not delay
 * processing-time timers. A backfill has one element here per job (a tenant and model, up to
 * {@link GeminiBatchMode#maxCallsPerJob} calls), reshuffled so that jobs wait side by side, so a few idle threads
 * are the whole cost.
 *
 * <p>A succeeded job's responses file is read line by line: {@code {"key", "response"}}, or {@code {"key",
 * "error"|"status"}} for a line the service could not answer. A failed, cancelled or expired job answers every
 * line with {@code MODEL_BATCH_JOB_FAILED}; one still running at the deadline is cancelled and its lines get
 * {@code MODEL_BATCH_TIMEOUT}.
 */
final class AwaitBatchJobFn extends BatchJobsFn<BatchJobRef, KV<String, BatchAnswer>> {
  private static final Logger LOG = LoggerFactory.getLogger(AwaitBatchJobFn.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<JobState.Known> FAILED = Set.of(JobState.Known.JOB_STATE_FAILED,
      JobState.Known.JOB_STATE_CANCELLED, JobState.Known.JOB_STATE_EXPIRED);

  private final GeminiBatchMode mode;
  private final ThrottledWaits waits = new ThrottledWaits(metrics);

  AwaitBatchJobFn(TenantConfigSpec tenants, ModelEndpoints endpoints, GeminiBatchMode mode) {
    super(tenants, endpoints);
    this.mode = mode;
  }

  @ProcessElement
  public void process(@Element BatchJobRef job, OutputReceiver<KV<String, BatchAnswer>> out)
      throws InterruptedException, IOException {
    Optional<TenantConfig> tenant = registry.current().find(job.tenantId());
    if (tenant.isEmpty()) {
      failAll(job, out, ErrorCode.MODEL_BATCH_JOB_FAILED, "tenant left the config; batch job " + job.jobName()
          + " was not read");
      return;
    }
    long deadline = job.createdMillis() + mode.deadline().toMillis();
    long wait = Math.min(1_000, mode.pollInterval().toMillis());
    while (true) {
      try {
        BatchJob state = jobs.get(tenant.get(), job.jobName());
        JobState.Known known = state.state().map(JobState::knownEnum).orElse(JobState.Known.JOB_STATE_UNSPECIFIED);
        metrics.incTenant("batch_polls", job.tenantId(), 1);
        if (known == JobState.Known.JOB_STATE_SUCCEEDED) {
          emitAnswers(job, tenant.get(), state, out);
          return;
        }
        if (FAILED.contains(known)) {
          failAll(job, out, ErrorCode.MODEL_BATCH_JOB_FAILED, "batch job " + job.jobName() + " ended " + known);
          return;
        }
      } catch (TranscriptionException e) {
        if (!e.isRetryable()) {
          failAll(job, out, ErrorCode.MODEL_BATCH_JOB_FAILED, "batch job " + job.jobName() + " cannot be read ("
              + e.code() + "): " + e.getMessage());
          return;
        }
        KeyValuesInMdc.forTenant(LOG.atInfo(), job.tenantId()).addKeyValue("job", job.jobName())
            .addKeyValue("errorCode", e.code().name()).log("batch job poll failed, will poll again");
      }
      if (System.currentTimeMillis() + wait > deadline) {
        cancel(tenant.get(), job);
        failAll(job, out, ErrorCode.MODEL_BATCH_TIMEOUT, "batch job " + job.jobName() + " unfinished after "
            + mode.deadline() + "; cancelled");
        return;
      }
      waits.waitFor(wait, job.tenantId(), "batch_poll");
      wait = Math.min(wait * 2, mode.pollInterval().toMillis());
    }
  }

  private void emitAnswers(BatchJobRef job, TenantConfig tenant, BatchJob state, OutputReceiver<KV<String, BatchAnswer>> out)
      throws TranscriptionException, IOException {
    Map<String, String> digests = new HashMap<>();
    job.lines().forEach(line -> digests.put(line.key(), line.audioSha256()));
    Optional<String> file = state.dest().flatMap(BatchJobDestination::fileName);
    if (file.isEmpty()) {
      failAll(job, out, ErrorCode.MODEL_BATCH_JOB_FAILED, "batch job " + job.jobName() + " succeeded without a "
          + "responses file");
      return;
    }
    Path responses = jobs.download(tenant, file.get());
    metrics.incTenant("batch_jobs_succeeded", job.tenantId(), 1);
    try (BufferedReader reader = Files.newBufferedReader(responses, StandardCharsets.UTF_8)) {
      String text;
      while ((text = reader.readLine()) != null) {
        if (text.isBlank()) {
          continue;
        }
        JsonNode line = JSON.readTree(text);
        String key = line.path("key").asText();
        if (!digests.containsKey(key)) {
          continue; // Not a line of this job: nothing to join it to.
        }
        JsonNode error = line.has("error") ? line.get("error") : line.path("status");
        out.output(KV.of(key, line.has("response")
            ? BatchAnswer.answered(job.model(), digests.get(key), line.get("response").toString())
            : BatchAnswer.failed(job.model(), digests.get(key), ErrorCode.MODEL_BATCH_LINE_FAILED, "the batch job "
                + "answered the line with " + error.path("code").asText("no code") + " " + error.path("status").asText("")
                + ": " + error.path("message").asText("no message"))));
      }
    } finally {
      Files.deleteIfExists(responses);
    }
  }

  private void failAll(BatchJobRef job, OutputReceiver<KV<String, BatchAnswer>> out, ErrorCode code, String message) {
    metrics.incTenant("batch_jobs_failed", job.tenantId(), 1);
    for (BatchJobRef.Line line : job.lines()) {
      out.output(KV.of(line.key(), BatchAnswer.failed(job.model(), line.audioSha256(), code, message)));
    }
  }

  private void cancel(TenantConfig tenant, BatchJobRef job) {
    try {
      jobs.cancel(tenant, job.jobName());
    } catch (RuntimeException | TranscriptionException e) {
      KeyValuesInMdc.forTenant(LOG.atWarn(), job.tenantId()).addKeyValue("job", job.jobName())
          .log("could not cancel a batch job past its deadline: {}", e.getClass().getSimpleName());
    }
  }
}
