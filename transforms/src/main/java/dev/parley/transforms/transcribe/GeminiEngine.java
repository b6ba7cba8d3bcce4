package dev.parley.transforms.transcribe;

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
import dev.parley.model.Transcript;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.SecretUnavailableException;
import dev.parley.tenant.TenantConfig;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Transcribes with Gemini through the google-genai SDK, on the Gemini API or Vertex AI as each tenant is
 * configured. One SDK client per distinct credential, reused across calls. The SDK's own retry is switched
 * off: it sleeps on the worker thread and ignores RetryInfo; Parley retries in the stage instead.
 */
public final class GeminiEngine implements TranscriptionEngine {
  private final GeminiEndpoint endpoint;
  private final SecretResolver secrets;
  private final Map<ClientKey, Client> clients = new ConcurrentHashMap<>();

  /** Clients are shared by credential, never by tenant name: two tenants with one key share a client. */
  private record ClientKey(boolean vertex, String credential, String location) {}

  public GeminiEngine(GeminiEndpoint endpoint, SecretResolver secrets) {
    this.endpoint = endpoint;
    this.secrets = secrets;
  }

  @Override
  public Transcript transcribe(TranscriptionRequest request) throws TranscriptionException {
    TenantConfig.Transcription settings = request.tenant().transcription();
    Client client = client(settings.gemini());
    GenerateContentConfig config = GenerateContentConfig.builder()
        .systemInstruction(Content.fromParts(Part.fromText(settings.prompt())))
        .responseMimeType("application/json")
        .responseSchema(TranscriptResponseFormat.SCHEMA)
        .temperature(0.0f)
        .httpOptions(HttpOptions.builder().timeout(Math.toIntExact(request.timeout().toMillis())))
        .build();
    Content content = Content.fromParts(
        Part.fromText(TranscriptionPrompt.forCall(request.tenant(), request.call())),
        Part.fromBytes(request.audio(), request.call().getAudio().getMimeType()));
    GenerateContentResponse response;
    try {
      response = client.models.generateContent(settings.model(), content, config);
    } catch (ApiException e) {
      throw GeminiErrors.classify(e);
    } catch (GenAiIOException e) {
      throw GeminiErrors.classify(e);
    }
    return toTranscript(response, settings.model(), request.call().getAudio().getDurationMillis());
  }

  private static Transcript toTranscript(GenerateContentResponse response, String model, long durationMillis)
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

  private Client client(TenantConfig.Gemini gemini) throws TranscriptionException {
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
    if (endpoint.isOverridden()) {
      http.baseUrl(endpoint.baseUrlOverride());
    }
    Client.Builder builder = Client.builder().httpOptions(http.build());
    if (key.vertex()) {
      builder.vertexAI(true).project(key.credential()).location(key.location());
      if (endpoint.isOverridden()) {
        builder.credentials(GoogleCredentials.create(new AccessToken("parley-local-endpoint", new Date(Long.MAX_VALUE))));
      }
    } else {
      builder.vertexAI(false).apiKey(key.credential());
    }
    return builder.build();
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
