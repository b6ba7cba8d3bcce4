package dev.parley.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The example tenants made runnable on this machine: an overlay that points each Gemini-API tenant at an API
 * key file of its own (distinct keys, so the emulator's record shows whose credentials each call used).
 */
final class LocalTenants {
  static final Path EXAMPLES = Path.of("..", "tenant-config", "examples").toAbsolutePath().normalize();
  static final Map<String, String> KEYS = Map.of("acme-sales", "test-key-acme-sales-0001", "initech", "test-key-initech-0002");

  private LocalTenants() {}

  /** Writes key files and the overlay into {@code dir}; returns the --tenantConfig value. */
  static String write(Path dir) throws IOException {
    StringBuilder overlay = new StringBuilder("tenants:\n");
    for (Map.Entry<String, String> tenant : KEYS.entrySet()) {
      Path key = dir.resolve(tenant.getKey() + ".key");
      Files.writeString(key, tenant.getValue());
      overlay.append("  ").append(tenant.getKey()).append(":\n")
          .append("    transcription: {gemini: {apiKey: \"file://").append(key).append("\"}}\n");
    }
    Path file = dir.resolve("local-overlay.yaml");
    Files.writeString(file, overlay.toString());
    return EXAMPLES + "," + file;
  }
}
