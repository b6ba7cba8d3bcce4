package dev.parley.transforms;

import dev.parley.tenant.TenantConfigSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A small tenant config written to a temporary folder, for stage tests. */
public final class TestTenants {
  static final String YAML = """
      defaults:
        enabled: true
        transcription:
          engine: gemini
          model: gemini-2.5-flash
          prompt: Transcribe the call.
          maxInlineBytes: 10000000
          maxAudioSeconds: 60
          gemini: {backend: gemini-api, apiKey: "env://PARLEY_TEST_UNUSED_KEY"}
        quota: {requestsPerMinute: 6000, burst: 100, weight: 1, overDailyCap: defer}
        crm: {kind: none}
      tenants:
        acme:
          displayName: Acme
          sources: ["gs://acme-bucket/calls/"]
        globex:
          displayName: Globex
          sources: ["gs://globex-bucket/"]
        dormant:
          displayName: Dormant
          enabled: false
      """;

  private TestTenants() {}

  /**
   * One tenant built the way Parley builds every tenant (YAML through the loader), so tests do not depend on the
   * config records' constructors. {@code settings} is the tenant's YAML flow mapping, e.g.
   * {@code "{quota: {requestsPerMinute: 60}}"}; anything it does not name comes from {@link #YAML}'s defaults.
   */
  public static dev.parley.tenant.TenantConfig tenant(String id, String settings) {
    String yaml = YAML.substring(0, YAML.indexOf("tenants:")) + "tenants:\n  " + id + ": " + settings + "\n";
    try {
      return dev.parley.tenant.TenantConfigLoader.fromDocuments(
          java.util.List.of(new dev.parley.tenant.ConfigDocument("test.yaml", yaml))).find(id).orElseThrow();
    } catch (dev.parley.tenant.TenantConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static TenantConfigSpec write(Path folder) throws IOException {
    return write(folder, YAML);
  }

  static TenantConfigSpec write(Path folder, String yaml) throws IOException {
    Path file = folder.resolve("tenants.yaml");
    Files.writeString(file, yaml);
    return new TenantConfigSpec(List.of(file.toString()), Duration.ofHours(1));
  }
}
