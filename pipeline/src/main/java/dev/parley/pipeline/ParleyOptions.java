package dev.parley.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options every Parley job takes, streaming or batch. */
public interface ParleyOptions extends PipelineOptions {
  @Description("Tenant config: a YAML file or a folder of *.yaml files, local or gs://. Several locations, "
      + "comma-separated, are layered in order (later ones override earlier ones field by field). "
      + "Example: gs://parley-config/tenants,gs://parley-config/overrides/prod.yaml")
  @Validation.Required
  String getTenantConfig();

  void setTenantConfig(String value);

  @Description("How often, in seconds, a running job re-reads the tenant config; a change of limits or a new "
      + "tenant takes effect within this period, without a restart.")
  @Default.Integer(10)
  int getTenantConfigReloadSeconds();

  void setTenantConfigReloadSeconds(int value);

  @Description("Folder of the local store: JSON Lines tables calls*, segments* and dead_letters* are written "
      + "here (local or gs://). Example: /tmp/parley-out")
  String getOutputDir();

  void setOutputDir(String value);

  @Description("Folder for derived audio (transcoded, silence-trimmed, split into channels and chunks) that is "
      + "sent to the model instead of the original, local or gs://. Files are named by call id, so a retry "
      + "rewrites them; a lifecycle rule may delete them after a day. Defaults to {outputDir}/work. "
      + "Example: gs://parley-work/audio")
  String getWorkDir();

  void setWorkDir(String value);

  @Description("Send every Gemini call to this base URL instead of Google's endpoints (an emulator or a "
      + "proxy). Vertex AI calls then carry a placeholder token instead of Application Default Credentials. "
      + "Example: http://127.0.0.1:8089")
  String getGeminiEndpoint();

  void setGeminiEndpoint(String value);

  @Description("Send every Speech-to-Text call to this host:port over plaintext gRPC instead of Google's "
      + "regional endpoints (a local stand-in), without credentials. Example: 127.0.0.1:8090")
  String getSpeechEndpoint();

  void setSpeechEndpoint(String value);

  @Description("Folder of the dead_letters-*.jsonl table (local or gs://): every dead letter of the job, one JSON "
      + "object a line, what ./parley dlq replay reads. Defaults to --outputDir. Example: gs://parley-dead-letters/ingest")
  String getDeadLetterDir();

  void setDeadLetterDir(String value);

  @Description("Pub/Sub topic that also receives every dead letter: its dead_letters row as JSON, with attributes "
      + "tenantId, errorCode and stage for subscription filters. Example: projects/my-project/topics/parley-dead-letters")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  @Description("Names this run's output files (calls-<runId>-*.jsonl ...). Defaults to the launch time in UTC.")
  String getRunId();

  void setRunId(String value);
}
