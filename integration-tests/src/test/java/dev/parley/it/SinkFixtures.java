package dev.parley.it;

import dev.parley.tenant.TenantConfigSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The tenant config of the sink tests: acme (shared database) and globex (its own). */
final class SinkFixtures {
  static final String GLOBEX_DATABASE = "projects/globex-data/instances/globex-eu/databases/parley_calls";

  private SinkFixtures() {}

  /** Two tenants; {@code crm} is YAML for each tenant's {@code crm} section, or "{kind: none}". */
  static TenantConfigSpec tenants(Path dir, String acmeCrm, String globexCrm) throws IOException {
    Files.writeString(dir.resolve("tenants.yaml"), """
        defaults:
          enabled: true
          transcription:
            engine: gemini
            model: gemini-2.5-flash
            prompt: Transcribe.
            maxInlineBytes: 5000000
            maxAudioSeconds: 3600
            gemini: {backend: vertex-ai, project: parley-test, location: us-central1}
          quota: {requestsPerMinute: 6000, burst: 100, weight: 1, overDailyCap: dead-letter}
          crm: {kind: none}
        tenants:
          acme:
            displayName: Acme
            crm: %s
          globex:
            displayName: Globex
            spanner: {project: globex-data, instance: globex-eu, database: parley_calls}
            crm: %s
        """.formatted(acmeCrm, globexCrm));
    return new TenantConfigSpec(List.of(dir.toString()), java.time.Duration.ofHours(1));
  }
}
