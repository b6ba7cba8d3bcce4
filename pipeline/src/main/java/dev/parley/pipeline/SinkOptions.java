package dev.parley.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where transcribed calls go. Without the Spanner options the calls are stored in the local store
 * ({@code --outputDir}); with them, in Cloud Spanner: the shared database named here, and the databases tenants
 * have of their own in tenant config ({@code spanner:}).
 */
public interface SinkOptions extends PipelineOptions {
  @Description("GCP project of the shared Spanner database, which holds every tenant that has no database of its "
      + "own (keys start with TenantId). Set together with --spannerInstance and --spannerDatabase. Example: parley-prod")
  String getSpannerProject();

  void setSpannerProject(String value);

  @Description("Spanner instance of the shared database. Example: parley")
  String getSpannerInstance();

  void setSpannerInstance(String value);

  @Description("The shared Spanner database; its schema is templates/spanner-schema.sh's. Example: calls")
  String getSpannerDatabase();

  void setSpannerDatabase(String value);

  @Description("Send every Spanner write to this host:port instead of Google's endpoint: the Spanner emulator or a "
      + "local stand-in, without credentials. Example: 127.0.0.1:9010")
  String getSpannerEmulatorHost();

  void setSpannerEmulatorHost(String value);

  @Description("Push each stored call into its tenant's CRM (tenant config crm.kind: hubspot, salesforce or "
      + "webhook) and store the outcome in the CrmSync table.")
  @Default.Boolean(false)
  boolean getPushToCrm();

  void setPushToCrm(boolean value);
}
