package dev.parley.model;

/**
 * Stable reasons for a dead letter. Names are part of Parley's interface (alerts, dashboards and replay
 * filters use them): add new ones, never rename.
 */
public enum ErrorCode {
  // ParseArrival: the event or the object name.
  EVENT_MALFORMED("the arrival event is not valid JSON or lacks a required field"),
  EVENT_TOO_LARGE("the arrival event is larger than the accepted maximum"),
  PATH_INVALID("the object name holds '..', control characters, or is too long"),
  PATH_OUTSIDE_TENANT_LAYOUT("the object is not under {root}/{tenantId}/ nor any tenant's configured source"),

  // ResolveTenant.
  TENANT_ID_INVALID("the tenant id breaks the tenant id rule"),
  TENANT_UNKNOWN("no tenant with this id is configured"),
  TENANT_DISABLED("the tenant is configured but disabled"),
  TENANT_MISMATCH("the event's tenant disagrees with the tenant that owns the object's location"),

  // ProbeAudio.
  AUDIO_EMPTY("the object has no bytes"),
  AUDIO_UNSUPPORTED_FORMAT("the bytes are not a recognised audio format"),
  AUDIO_CORRUPT("the audio header is inconsistent or unreadable, or the audio data cannot be decoded"),
  AUDIO_TRUNCATED("the file is shorter than its header declares"),
  AUDIO_ZERO_DURATION("the recording holds no audio"),
  AUDIO_TOO_LONG("the recording is longer than the tenant's maxAudioSeconds"),
  AUDIO_TOO_LARGE("the recording is larger than can be sent to the model"),
  AUDIO_READ_FAILED("the object could not be read from storage"),
  AUDIO_WRITE_FAILED("the derived audio (transcoded, trimmed or split) could not be written to the work folder"),
  AUDIO_PARTS_MISSING("some parts of a split call were never transcribed; their own dead letters say why"),

  // Admit and Transcribe.
  SECRET_UNAVAILABLE("a secret reference of the tenant could not be resolved"),
  QUOTA_EXHAUSTED_DAILY("the tenant's or the project's daily quota is spent and the policy is to dead-letter"),
  QUOTA_DEFERRED("over a daily cap in a batch run whose tenant policy is to defer: replay after the reset"),
  MODEL_RATE_LIMITED("the model answered 429 on every attempt"),
  MODEL_BAD_REQUEST("the model refused the request (HTTP 400)"),
  MODEL_AUTH_FAILED("the model refused the credentials (HTTP 401 or 403)"),
  MODEL_PAYLOAD_TOO_LARGE("the model refused the request size (HTTP 413)"),
  MODEL_REJECTED("the model answered another 4xx status"),
  MODEL_UNAVAILABLE("the model answered 5xx or failed at the network level on every attempt"),
  MODEL_TIMEOUT("the model did not answer within the per-request timeout on every attempt"),
  MODEL_RESPONSE_INVALID("the model's answer was malformed, truncated or off-schema, also when asked again"),
  MODEL_BLOCKED("the model declined to answer (safety or recitation block)"),

  // Transcribe through the Gemini Batch API (--modelBatchMode).
  MODEL_BATCH_SUBMIT_FAILED("the batch job holding the call could not be created (requests upload or job creation refused)"),
  MODEL_BATCH_JOB_FAILED("the batch job holding the call failed, expired or was cancelled before answering"),
  MODEL_BATCH_TIMEOUT("the batch job holding the call did not finish within --modelBatchDeadlineMinutes and was cancelled"),
  MODEL_BATCH_LINE_FAILED("the batch job answered the call's line with an error, or with no line at all"),

  // Sinks.
  STORE_WRITE_FAILED("the call could not be written to the store"),
  CRM_WRITE_FAILED("the call could not be written to the tenant's CRM"),
  STORE_DATABASE_NOT_IN_JOB("the tenant's Spanner database was configured after the job was built: update the job"),
  CRM_RATE_LIMITED("the CRM kept answering with its short-term rate limit within the call's retry budget"),
  CRM_DAILY_LIMIT_REACHED("the tenant's daily CRM API allowance is spent (HubSpot DAILY, Salesforce REQUEST_LIMIT_EXCEEDED)"),
  CRM_AUTH_FAILED("the CRM refused the tenant's credentials, also after a fresh token"),
  CRM_REJECTED("the CRM refused the call with a 4xx status"),
  CRM_AMBIGUOUS_MATCH("several CRM records carry the call's external id (Salesforce 300)"),
  CRM_UNAVAILABLE("the CRM answered 5xx or failed at the network level on every attempt"),
  CRM_CIRCUIT_OPEN("the tenant's CRM failed repeatedly just before: calls fail fast until it recovers"),
  CRM_ENDPOINT_GONE("the tenant's webhook endpoint answered 410 Gone and is disabled on this worker"),

  INTERNAL("an unexpected error in Parley itself; the message holds the exception type");

  private final String meaning;

  ErrorCode(String meaning) {
    this.meaning = meaning;
  }

  public String meaning() {
    return meaning;
  }
}
