package dev.parley.pipeline;

import dev.parley.transforms.admission.RedisEndpoint;
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

  @Description("Attempts per call at the model when it answers 429 or 5xx, times out or fails at the network level; "
      + "then the call is dead-lettered with the last error's code. Waits follow the service's RetryInfo, else "
      + "exponential backoff from 2 s to 2 min.")
  @Default.Integer(6)
  int getModelMaxAttempts();

  void setModelMaxAttempts(int value);

  @Description("Of those attempts, how many may get a malformed, truncated or off-schema answer before the call "
      + "is dead-lettered as MODEL_RESPONSE_INVALID: each such answer is paid for.")
  @Default.Integer(2)
  int getModelMaxInvalidAnswers();

  void setModelMaxInvalidAnswers(int value);

  @Description("Time a model request may take, in seconds, before half a second per second of audio is added.")
  @Default.Integer(60)
  int getModelRequestTimeoutSeconds();

  void setModelRequestTimeoutSeconds(int value);

  @Description("Share admission across every worker through this Redis (e.g. Memorystore for Redis): tenants' "
      + "rates, bursts, audio seconds and calls in flight, the Gemini project's limits shared fairly by weight, and "
      + "the daily caps. redis://HOST:6379[/DB], or rediss://HOST:6378[/DB] with in-transit encryption (the "
      + "instance's CA in the workers' trust store). Every job that spends the same Google quota (the streaming job "
      + "and any backfill) must name the same Redis and key prefix. If Redis cannot be reached, no model call is "
      + "made until it answers. Absent: admission is held in each worker, exact only on a single worker. "
      + "Example: redis://10.0.0.3:6379")
  String getAdmissionRedis();

  void setAdmissionRedis(String value);

  @Description("The AUTH string of --admissionRedis, as a secret reference, never the value: "
      + "sm://projects/P/secrets/S, env://NAME or file://PATH. Absent: no AUTH.")
  String getAdmissionRedisAuth();

  void setAdmissionRedisAuth(String value);

  @Description("Prefix of every admission key in --admissionRedis. Jobs with the same prefix share their limits; "
      + "a prefix of its own keeps, say, a staging job apart on the same instance.")
  @Default.String(RedisEndpoint.DEFAULT_KEY_PREFIX)
  String getAdmissionRedisKeyPrefix();

  void setAdmissionRedisKeyPrefix(String value);

  @Description("Send every Google Calendar lookup (calendar enrichment) to this base URL instead of Google's: "
      + "events.list under {base}/calendar/v3/ and every token exchange (service-account delegation, refresh "
      + "tokens) to {base}/token. For a local stand-in. Example: http://127.0.0.1:8091")
  String getCalendarEndpoint();

  void setCalendarEndpoint(String value);

  @Description("Names this run's output files (calls-<runId>-*.jsonl ...). Defaults to the launch time in UTC.")
  String getRunId();

  void setRunId(String value);
}
