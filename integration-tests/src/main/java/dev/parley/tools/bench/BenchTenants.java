package dev.parley.tools.bench;

import dev.parley.tenant.TenantConfigSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Two unthrottled tenants for benchmarks: acme on the Gemini API, globex on Vertex AI. */
final class BenchTenants {
  private BenchTenants() {}

  static TenantConfigSpec write(Path dir, long maxInlineBytes) throws IOException {
    Files.writeString(dir.resolve("acme.key"), "bench-key-acme");
    Files.writeString(dir.resolve("tenants.yaml"), """
        defaults:
          enabled: true
          transcription:
            engine: gemini
            model: gemini-2.5-flash
            prompt: Transcribe the call. ${speakerLabels}
            maxInlineBytes: %d
            maxAudioSeconds: 34200
            gemini: {backend: gemini-api, apiKey: "file://%s"}
          quota: {requestsPerMinute: 1000000, burst: 100000, weight: 1, overDailyCap: defer}
          crm: {kind: none}
        tenants:
          acme: {displayName: Acme}
          globex:
            displayName: Globex
            transcription: {gemini: {backend: vertex-ai, project: globex-ai-prod, location: europe-west4}}
        """.formatted(maxInlineBytes, dir.resolve("acme.key")));
    return new TenantConfigSpec(List.of(dir.toString()), java.time.Duration.ofHours(1));
  }
}
