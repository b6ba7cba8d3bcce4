package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.emulator.gemini.GeminiEmulatorSettings;
import dev.parley.tools.SampleAudio;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.Rule;
import org.junit.Test;

/** The emulator's wire behaviour, checked with a plain HTTP client: what Parley's SDK calls rely on. */
public class GeminiEmulatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Rule public GeminiEmulatorRule gemini = new GeminiEmulatorRule(GeminiEmulatorSettings.builder().limits(2, 0).build());

  private HttpResponse<String> generate(String path, String header, String value, byte[] audio) throws Exception {
    String body = """
        {"contents":[{"role":"user","parts":[{"text":"Transcribe."},
          {"inlineData":{"mimeType":"audio/wav","data":"%s"}}]}],
         "generationConfig":{"responseMimeType":"application/json","responseSchema":{"type":"OBJECT","properties":{
           "segments":{"type":"ARRAY","items":{"type":"OBJECT","properties":{
             "speaker":{"type":"STRING"},"startMs":{"type":"INTEGER"},"endMs":{"type":"INTEGER"},"text":{"type":"STRING"}}}},
           "language":{"type":"STRING"},"summary":{"type":"STRING"}}}}}
        """.formatted(Base64.getEncoder().encodeToString(audio));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gemini.baseUrl() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    if (header != null) {
      request.header(header, value);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  public void answersInTheRequestedShapeWithTextNamingTheAudioDigest() throws Exception {
    byte[] wav = SampleAudio.wav(5, 8000, 1, 1);
    HttpResponse<String> response = generate("/v1beta/models/gemini-2.5-flash:generateContent", "x-goog-api-key", "k1", wav);
    assertEquals(200, response.statusCode());
    JsonNode root = JSON.readTree(response.body());
    JsonNode answer = JSON.readTree(root.at("/candidates/0/content/parts/0/text").asText());
    String digest = EndToEndTest.sha256(wav);
    assertThat(answer.at("/segments/0/text").asText(), containsString("sha256:" + digest));
    assertEquals(5000, answer.at("/segments/0/endMs").asLong());
    assertTrue(answer.has("summary"));
    assertFalse("only the properties asked for", answer.has("actionItems"));
    assertEquals(160, root.at("/usageMetadata/promptTokensDetails/0/tokenCount").asLong());
    assertEquals(digest, gemini.get().requests().get(0).audioSha256().get(0));
  }

  @Test
  public void limitsEachKeyWithTheRealQuotaBody() throws Exception {
    byte[] wav = SampleAudio.wav(1, 8000, 1, 2);
    String path = "/v1beta/models/gemini-2.5-flash:generateContent";
    assertEquals(200, generate(path, "x-goog-api-key", "k1", wav).statusCode());
    assertEquals(200, generate(path, "x-goog-api-key", "k1", wav).statusCode());
    HttpResponse<String> limited = generate(path, "x-goog-api-key", "k1", wav);
    assertEquals(429, limited.statusCode());
    assertFalse("no Retry-After header, as the real service", limited.headers().firstValue("Retry-After").isPresent());
    JsonNode error = JSON.readTree(limited.body()).get("error");
    assertEquals("RESOURCE_EXHAUSTED", error.get("status").asText());
    assertEquals("GenerateRequestsPerMinutePerProjectPerModel", error.at("/details/0/violations/0/quotaId").asText());
    assertThat(error.at("/details/1/retryDelay").asText(), containsString("s"));
    assertEquals("another key has its own limit", 200, generate(path, "x-goog-api-key", "k2", wav).statusCode());
  }

  @Test
  public void servesVertexPathsAndRequiresCredentialsOnBoth() throws Exception {
    byte[] wav = SampleAudio.wav(1, 8000, 1, 3);
    String vertex = "/v1beta1/projects/p-123456/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent";
    assertEquals(200, generate(vertex, "Authorization", "Bearer t", wav).statusCode());
    assertEquals(401, generate(vertex, null, null, wav).statusCode());
    assertEquals(403, generate("/v1beta/models/m:generateContent", null, null, wav).statusCode());
    assertEquals("vertex:p-123456", gemini.get().requests().get(0).key());
  }
}
