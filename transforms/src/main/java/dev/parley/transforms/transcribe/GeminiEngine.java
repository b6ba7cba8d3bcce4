package dev.parley.transforms.transcribe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.errors.GenAiIOException;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.model.Transcript;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.SecretUnavailableException;
import dev.parley.tenant.TenantConfig;
import dev.parley.transforms.logging.KeyValuesInMdc;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.channels.Channels;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.FileSystems;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transcribes with Gemini through the google-genai SDK, on the Gemini API or Vertex AI as each tenant is
 * configured. One SDK client per distinct credential, reused across calls. The SDK's own retry is switched
 * off: it sleeps on the worker thread and ignores RetryInfo; Parley retries in the stage instead.
 *
 * <p>How the audio gets there depends on its size and the backend: up to the tenant's {@code maxInlineBytes}
 * it is sent inline; above it, the Gemini API gets a Files API upload streamed in 8 MiB chunks
 * ({@link FilesApiUpload}, deleted when the call is done), and Vertex AI gets the {@code gs://} URI as
 * {@code fileData}, so the worker never reads the audio at all.
 */
public final class GeminiEngine implements TranscriptionEngine {
  private static final Logger LOG = LoggerFactory.getLogger(GeminiEngine.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ModelEndpoints endpoints;
  private final SecretResolver secrets;
  private final Map<ClientKey, Client> clients = new ConcurrentHashMap<>();
  private final FilesApiUpload uploads;

  /** Clients are shared by credential, never by tenant name: two tenants with one key share a client. */
  private record ClientKey(boolean vertex, String credential, String location) {}

  public GeminiEngine(ModelEndpoints endpoints, SecretResolver secrets) {
    this.endpoints = endpoints;
    this.secrets = secrets;
    this.uploads = new FilesApiUpload(HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(30)).build(),
        endpoints.gemini());
  }

  @Override
  public PreparedCall prepare(TranscriptionRequest request) throws TranscriptionException {
    TenantConfig.Transcription settings = request.tenant().transcription();
    Client client = client(settings.gemini());
    ProbedAudio call = request.call();
    String uri = call.getArrival().getSourceUri();
    String mimeType = call.getAudio().getMimeType();
    long size = call.getArrival().getSizeBytes();
    if (size <= settings.maxInlineBytes()) {
      byte[] bytes = readAll(uri);
      return new GeminiCall(client, request, Part.fromBytes(bytes, mimeType), sha256(bytes), null);
    }
    if (settings.gemini().isVertex()) {
      if (!uri.startsWith("gs://")) {
        throw TranscriptionException.permanent(ErrorCode.AUDIO_TOO_LARGE, "recording is " + size
            + " bytes, over transcription.maxInlineBytes, and not in Cloud Storage, so Vertex AI cannot read it");
      }
      return new GeminiCall(client, request, Part.fromUri(uri, mimeType), null, null);
    }
    return upload(client, request, uri, mimeType, size, settings.gemini());
  }

  /**
   * A call's request for the Batch API (Gemini API tenants): the request {@link PreparedCall#attempt} would send,
   * with the audio inline or uploaded through the Files API as online. An uploaded recording is left to expire
   * (48 hours, the Batch API's own limit), since the job reads it after this worker has moved on.
   */
  public BatchRequest batchRequest(TranscriptionRequest request) throws TranscriptionException {
    GeminiCall call = (GeminiCall) prepare(request);
    return new BatchRequest(call.batchRequest(), call.audioSha256());
  }

  /** Uploads a file (a batch job's requests) through the Files API, with the tenant's key. */
  FilesApiUpload.UploadedFile uploadFile(TenantConfig.Gemini gemini, InputStream in, long size, String mimeType,
      String displayName, java.time.Duration timeout) throws TranscriptionException {
    try {
      return uploads.upload(secrets.resolve(gemini.apiKey()), in, size, mimeType, displayName, timeout);
    } catch (SecretUnavailableException e) {
      throw TranscriptionException.permanent(ErrorCode.SECRET_UNAVAILABLE, e.getMessage());
    }
  }

  /** One line's request of a batch job, and the digest of the audio the worker read for it (null if none). */
  public record BatchRequest(JsonNode request, @Nullable String audioSha256) {}

  private GeminiCall upload(Client client, TranscriptionRequest request, String uri, String mimeType, long size,
      TenantConfig.Gemini gemini) throws TranscriptionException {
    MessageDigest digest = newSha256();
    try (InputStream in = new DigestInputStream(
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(uri, false))), digest)) {
      FilesApiUpload.UploadedFile file = uploads.upload(secrets.resolve(gemini.apiKey()), in, size, mimeType,
          request.call().getArrival().getCallId(), request.timeout());
      return new GeminiCall(client, request, Part.fromUri(file.uri(), mimeType), HexFormat.of().formatHex(digest.digest()),
          file.name());
    } catch (IOException e) {
      throw TranscriptionException.retryable(ErrorCode.AUDIO_READ_FAILED, null,
          "cannot read the recording for upload: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (SecretUnavailableException e) {
      throw TranscriptionException.permanent(ErrorCode.SECRET_UNAVAILABLE, e.getMessage());
    }
  }

  /** One call with its audio in place. */
  private static final class GeminiCall implements PreparedCall {
    private final Client client;
    private final TranscriptionRequest request;
    private final Part audio;
    private final @Nullable String sha256;
    private final @Nullable String uploadedFile;

    GeminiCall(Client client, TranscriptionRequest request, Part audio, @Nullable String sha256,
        @Nullable String uploadedFile) {
      this.client = client;
      this.request = request;
      this.audio = audio;
      this.sha256 = sha256;
      this.uploadedFile = uploadedFile;
    }

    @Override
    public Transcript attempt() throws TranscriptionException {
      String model = request.tenant().transcription().model();
      GenerateContentConfig config = config().toBuilder()
          .httpOptions(HttpOptions.builder().timeout(Math.toIntExact(request.timeout().toMillis())))
          .build();
      GenerateContentResponse response;
      try {
        response = client.models.generateContent(model, content(), config);
      } catch (ApiException e) {
        throw GeminiErrors.classify(e);
      } catch (GenAiIOException e) {
        throw GeminiErrors.classify(e);
      }
      return transcript(response, model, request.call().getAudio().getDurationMillis());
    }

    /** The same request as {@link #attempt}, as the Batch API takes it: a GenerateContentRequest in JSON. */
    ObjectNode batchRequest() {
      GenerateContentConfig config = config();
      try {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("contents").add(JSON.readTree(content().toJson()));
        body.set("systemInstruction", JSON.readTree(config.systemInstruction().orElseThrow().toJson()));
        body.putObject("generationConfig")
            .put("responseMimeType", config.responseMimeType().orElseThrow())
            .put("temperature", config.temperature().orElseThrow())
            .set("responseSchema", JSON.readTree(config.responseSchema().orElseThrow().toJson()));
        return body;
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("the SDK wrote JSON it cannot read back", e);
      }
    }

    private GenerateContentConfig config() {
      return GenerateContentConfig.builder()
          .systemInstruction(Content.fromParts(Part.fromText(TranscriptionPrompt.system(request.tenant(), request.call()))))
          .responseMimeType("application/json")
          .responseSchema(TranscriptResponseFormat.SCHEMA)
          .temperature(0.0f)
          .build();
    }

    private Content content() {
      return Content.fromParts(Part.fromText(TranscriptionPrompt.forCall(request.tenant(), request.call())), audio);
    }

    @Override
    public @Nullable String audioSha256() {
      return sha256;
    }

    /** Deletes the uploaded file; one left behind expires after 48 hours, so a failure here is only logged. */
    @Override
    public void close() {
      if (uploadedFile == null) {
        return;
      }
      try {
        client.files.delete(uploadedFile, null);
      } catch (RuntimeException e) {
        KeyValuesInMdc.forCall(LOG.atWarn(), request.call().getArrival().getTenantId(),
                request.call().getArrival().getCallId())
            .log("could not delete uploaded file {}: {}", uploadedFile, e.getClass().getSimpleName());
      }
    }
  }

  /**
   * The transcript in a model answer, online or from a batch job: blocked answers are {@code MODEL_BLOCKED}, answers
   * off the response schema {@code MODEL_RESPONSE_INVALID} (retryable: asking again may help).
   */
  static Transcript transcript(GenerateContentResponse response, String model, long durationMillis)
      throws TranscriptionException {
    String finish = response.finishReason() == null ? "" : response.finishReason().toString();
    if (finish.contains("SAFETY") || finish.contains("RECITATION") || finish.contains("BLOCKLIST")
        || finish.contains("PROHIBITED")) {
      throw TranscriptionException.permanent(ErrorCode.MODEL_BLOCKED, "Gemini declined to answer: " + finish);
    }
    String text = response.text();
    Transcript.Builder transcript;
    try {
      transcript = TranscriptResponseFormat.parse(text, durationMillis);
    } catch (TranscriptionException e) {
      String why = finish.contains("MAX_TOKENS") ? "the answer was cut off at the output token limit; " : "";
      throw TranscriptionException.retryable(e.code(), null, why + e.getMessage() + "; raw answer: " + abbreviate(text));
    }
    Optional<GenerateContentResponseUsageMetadata> usage = response.usageMetadata();
    return transcript
        .setModel("gemini/" + model)
        .setInputTokens(usage.flatMap(GenerateContentResponseUsageMetadata::promptTokenCount).orElse(0))
        .setOutputTokens(usage.flatMap(GenerateContentResponseUsageMetadata::candidatesTokenCount).orElse(0))
        .build();
  }

  Client client(TenantConfig.Gemini gemini) throws TranscriptionException {
    try {
      ClientKey key = gemini.isVertex()
          ? new ClientKey(true, gemini.project(), gemini.location())
          : new ClientKey(false, secrets.resolve(gemini.apiKey()), "");
      return clients.computeIfAbsent(key, this::newClient);
    } catch (SecretUnavailableException e) {
      throw TranscriptionException.permanent(ErrorCode.SECRET_UNAVAILABLE, e.getMessage());
    }
  }

  private Client newClient(ClientKey key) {
    HttpOptions.Builder http = HttpOptions.builder()
        // attempts(1): one try per call; initialDelay(0): or the SDK still sleeps after the failed attempt.
        .retryOptions(HttpRetryOptions.builder().attempts(1).initialDelay(0.0).build());
    if (endpoints.gemini() != null) {
      http.baseUrl(endpoints.gemini());
    }
    Client.Builder builder = Client.builder().httpOptions(http.build());
    if (key.vertex()) {
      builder.vertexAI(true).project(key.credential()).location(key.location());
      if (endpoints.gemini() != null) {
        builder.credentials(GoogleCredentials.create(new AccessToken("parley-local-endpoint", new Date(Long.MAX_VALUE))));
      }
    } else {
      builder.vertexAI(false).apiKey(key.credential());
    }
    return builder.build();
  }

  private static byte[] readAll(String uri) throws TranscriptionException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(uri, false)))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw TranscriptionException.retryable(ErrorCode.AUDIO_READ_FAILED, null,
          "cannot read the recording: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(newSha256().digest(bytes));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "(none)";
    }
    return text.length() <= 4000 ? text : text.substring(0, 4000) + "…(" + text.length() + " chars)";
  }

  @Override
  public void close() {
    clients.values().forEach(Client::close);
    clients.clear();
  }
}
