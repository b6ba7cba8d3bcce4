package dev.parley.transforms.transcribe;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where the transcription calls go. {@link #googleDefault()} is Google's services, on each tenant's backend and
 * location. An override sends every tenant's calls for that service to one local address (an emulator, a
 * proxy); calls there carry no real credentials (Vertex AI gets a placeholder bearer token, Speech-to-Text a
 * plaintext channel), since a local machine has no Application Default Credentials.
 *
 * @param gemini base URL for Gemini (both backends), e.g. {@code http://127.0.0.1:8089}
 * @param speech {@code host:port} of a plaintext Speech-to-Text v2 gRPC endpoint
 */
public record ModelEndpoints(@Nullable String gemini, @Nullable String speech) implements Serializable {
  public static ModelEndpoints googleDefault() {
    return new ModelEndpoints(null, null);
  }

  public ModelEndpoints withGemini(@Nullable String baseUrl) {
    return new ModelEndpoints(blankToNull(baseUrl), speech);
  }

  public ModelEndpoints withSpeech(@Nullable String hostPort) {
    return new ModelEndpoints(gemini, blankToNull(hostPort));
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
