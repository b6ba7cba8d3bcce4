package dev.parley.email;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The gateway's counters, served in Prometheus text format on {@code GET /metrics}. Each gateway has its own
 * registry, so tests that start several gateways in one JVM count separately. Labels carry tenant ids and
 * reasons, never addresses or message ids (unbounded, and personal).
 */
final class GatewayMetrics {
  static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter accepted = counter("parley_email_accepted",
      "Authentic mails delivered to at least one tenant (with or without audio).");
  private final Counter refused = counter("parley_email_refused",
      "Posts refused or dropped as a whole, by reason.", "reason");
  private final Counter stored = counter("parley_email_attachments_stored",
      "Audio attachments written to a tenant's drop prefix.", "tenant");
  private final Counter notAudio = counter("parley_email_attachments_not_audio",
      "Attachments ignored because they are not audio.", "tenant");
  private final Counter duplicates = counter("parley_email_attachments_duplicate",
      "Audio attachments already stored by an earlier delivery of the same mail.", "tenant");
  private final Counter storageFailures = counter("parley_email_storage_failures",
      "Posts answered 5xx because the drop prefix could not be written.");

  void accepted() {
    accepted.inc();
  }

  void refused(Refusal reason) {
    refused.labelValues(reason.label()).inc();
  }

  void stored(String tenantId) {
    stored.labelValues(tenantId).inc();
  }

  void notAudio(String tenantId) {
    notAudio.labelValues(tenantId).inc();
  }

  void duplicate(String tenantId) {
    duplicates.labelValues(tenantId).inc();
  }

  void storageFailure() {
    storageFailures.inc();
  }

  void writeTo(OutputStream out) throws IOException {
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
  }

  private Counter counter(String name, String help, String... labels) {
    return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
  }
}
