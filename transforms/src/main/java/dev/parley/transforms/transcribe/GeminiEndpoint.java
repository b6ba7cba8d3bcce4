package dev.parley.transforms.transcribe;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where the Gemini calls go. {@link #googleDefault()} is the real service on each tenant's backend; an
 * override sends every tenant's calls to one base URL (an emulator, a proxy), and then Vertex AI calls carry a
 * placeholder bearer token instead of Application Default Credentials, which a local machine does not have.
 */
public record GeminiEndpoint(@Nullable String baseUrlOverride) implements Serializable {
  public static GeminiEndpoint googleDefault() {
    return new GeminiEndpoint(null);
  }

  public static GeminiEndpoint at(String baseUrl) {
    return new GeminiEndpoint(baseUrl);
  }

  public boolean isOverridden() {
    return baseUrlOverride != null && !baseUrlOverride.isBlank();
  }
}
