package dev.parley.transforms.admission;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantRegistry;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Whose Google quota a tenant's calls spend: a Speech-to-Text or Vertex AI project, or on the Gemini API the
 * project behind one API key (named here by its secret reference, never its value); always per model, as
 * Google counts it. Tenants that share a key share its quota.
 */
public record QuotaHolder(String key, String model) {
  public static QuotaHolder of(TenantConfig tenant) {
    TenantConfig.Transcription settings = tenant.transcription();
    if (settings.engine().equals(TenantConfig.Transcription.SPEECH_TO_TEXT)) {
      String model = settings.speech().modelOrDefault();
      return new QuotaHolder("speech:" + settings.speech().project() + "/" + model, model);
    }
    TenantConfig.Gemini gemini = settings.gemini();
    String project = gemini.isVertex() ? "vertex:" + gemini.project() : "gemini-api:" + gemini.apiKey();
    return new QuotaHolder(project + "/" + settings.model(), settings.model());
  }

  /** The project's limits for this model, when the config names them. */
  public ModelConfig.@Nullable ProjectLimits limits(TenantRegistry registry) {
    return registry.model(model).map(ModelConfig::projectLimits).orElse(null);
  }
}
