package dev.parley.transforms.transcribe;

import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.errors.GenAiIOException;
import com.google.genai.types.BatchJob;
import com.google.genai.types.BatchJobSource;
import com.google.genai.types.CreateBatchJobConfig;
import com.google.genai.types.GenerateContentResponse;
import dev.parley.model.ErrorCode;
import dev.parley.model.Transcript;
import dev.parley.tenant.TenantConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Gemini Batch API jobs through the google-genai SDK, on the Gemini API backend: the requests file is uploaded
 * through the Files API and named as the job's source ({@code batches.create}), the job is read back with
 * {@code batches.get}, and its responses file downloaded. Vertex AI batch jobs read and write gs:// JSON Lines
 * instead and are not supported here: Vertex AI tenants stay on online requests.
 */
public final class GeminiBatchJobs {
  /** The Files API's type for JSON Lines, as the Batch API documents it. */
  static final String JSONL = "application/jsonl";
  private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(10);

  private final GeminiEngine engine;

  public GeminiBatchJobs(GeminiEngine engine) {
    this.engine = engine;
  }

  /** Whether the tenant's calls can go through the Batch API. */
  public static boolean supports(TenantConfig tenant) {
    return TenantConfig.Transcription.GEMINI.equals(tenant.transcription().engine())
        && !tenant.transcription().gemini().isVertex();
  }

  /** Uploads the JSON Lines requests file and creates the job on it; returns the job's name ({@code batches/…}). */
  public String create(TenantConfig tenant, String model, Path requests, String displayName)
      throws TranscriptionException {
    TenantConfig.Gemini gemini = tenant.transcription().gemini();
    try (InputStream in = Files.newInputStream(requests)) {
      FilesApiUpload.UploadedFile file = engine.uploadFile(gemini, in, Files.size(requests), JSONL, displayName,
          UPLOAD_TIMEOUT);
      BatchJob job = engine.client(gemini).batches.create(model, BatchJobSource.builder().fileName(file.name()).build(),
          CreateBatchJobConfig.builder().displayName(displayName).build());
      return job.name().orElseThrow(() -> TranscriptionException.permanent(ErrorCode.MODEL_BATCH_SUBMIT_FAILED,
          "the Batch API created a job without a name"));
    } catch (IOException e) {
      throw TranscriptionException.permanent(ErrorCode.INTERNAL, "cannot read the batch requests file: " + e);
    } catch (ApiException e) {
      throw GeminiErrors.classify(e);
    } catch (GenAiIOException e) {
      throw GeminiErrors.classify(e);
    }
  }

  public BatchJob get(TenantConfig tenant, String jobName) throws TranscriptionException {
    try {
      return engine.client(tenant.transcription().gemini()).batches.get(jobName, null);
    } catch (ApiException e) {
      throw GeminiErrors.classify(e);
    } catch (GenAiIOException e) {
      throw GeminiErrors.classify(e);
    }
  }

  /** Asks the service to stop a job (one past Parley's deadline); a failure is the caller's to log. */
  public void cancel(TenantConfig tenant, String jobName) throws TranscriptionException {
    engine.client(tenant.transcription().gemini()).batches.cancel(jobName, null);
  }

  /** Downloads a finished job's responses file ({@code files/…}) to a local temporary file. */
  public Path download(TenantConfig tenant, String fileName) throws TranscriptionException {
    try {
      Path local = Files.createTempFile("parley-batch-responses", ".jsonl");
      Client client = engine.client(tenant.transcription().gemini());
      client.files.download(fileName, local.toString(), null);
      return local;
    } catch (IOException e) {
      throw TranscriptionException.retryable(ErrorCode.MODEL_UNAVAILABLE, null, "cannot store the batch responses: " + e);
    } catch (ApiException e) {
      throw GeminiErrors.classify(e);
    } catch (GenAiIOException e) {
      throw GeminiErrors.classify(e);
    }
  }

  /** The transcript in one line's answer, through the same parsing and validation as an online answer. */
  public static Transcript transcript(String responseJson, String model, long durationMillis)
      throws TranscriptionException {
    GenerateContentResponse response;
    try {
      response = GenerateContentResponse.fromJson(responseJson);
    } catch (RuntimeException e) {
      throw TranscriptionException.permanent(ErrorCode.MODEL_RESPONSE_INVALID,
          "the batch line's response is not a GenerateContentResponse: " + e.getClass().getSimpleName());
    }
    return GeminiEngine.transcript(response, model, durationMillis);
  }
}
