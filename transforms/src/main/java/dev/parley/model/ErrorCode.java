package dev.parley.model;

/**
 * Stable reasons for a dead letter. Names are part of Parley's interface (alerts, dashboards and replay
 * filters use them): add new ones, never rename. Each code also says whether {@code parley dlq replay} takes its
 * dead letters without being asked ({@link Replay}).
 */
public enum ErrorCode {
  // ParseArrival: the event or the object name.
  EVENT_MALFORMED("the arrival event is not valid JSON or lacks a required field", Replay.WHEN_NAMED),
  EVENT_TOO_LARGE("the arrival event is larger than the accepted maximum", Replay.WHEN_NAMED),
  PATH_INVALID("the object name holds '..', control characters, or is too long", Replay.WHEN_NAMED),
  PATH_OUTSIDE_TENANT_LAYOUT("the object is not under {root}/{tenantId}/ nor any tenant's configured source",
      Replay.WHEN_NAMED),

  // ResolveTenant.
  TENANT_ID_INVALID("the tenant id breaks the tenant id rule", Replay.WHEN_NAMED),
  TENANT_UNKNOWN("no tenant with this id is configured", Replay.WHEN_NAMED),
  TENANT_DISABLED("the tenant is configured but disabled", Replay.WHEN_NAMED),
  TENANT_MISMATCH("the event's tenant disagrees with the tenant that owns the object's location", Replay.WHEN_NAMED),

  // ProbeAudio.
  AUDIO_EMPTY("the object has no bytes", Replay.WHEN_NAMED),
  AUDIO_UNSUPPORTED_FORMAT("the bytes are not a recognised audio format", Replay.WHEN_NAMED),
  AUDIO_CORRUPT("the audio header is inconsistent or unreadable, or the audio data cannot be decoded",
      Replay.WHEN_NAMED),
  AUDIO_TRUNCATED("the file is shorter than its header declares", Replay.WHEN_NAMED),
  AUDIO_ZERO_DURATION("the recording holds no audio", Replay.WHEN_NAMED),
  AUDIO_TOO_LONG("the recording is longer than the tenant's maxAudioSeconds", Replay.WHEN_NAMED),
  AUDIO_TOO_LARGE("the recording is larger than can be sent to the model", Replay.WHEN_NAMED),
  AUDIO_READ_FAILED("the object could not be read from storage", Replay.BY_DEFAULT),
  AUDIO_WRITE_FAILED("the derived audio (transcoded, trimmed or split) could not be written to the work folder",
      Replay.BY_DEFAULT),
  AUDIO_PARTS_MISSING("some parts of a split call were never transcribed; their own dead letters say why",
      Replay.BY_DEFAULT),

  // Admit and Transcribe.
  SECRET_UNAVAILABLE("a secret reference of the tenant could not be resolved", Replay.BY_DEFAULT),
  QUOTA_EXHAUSTED_DAILY("the tenant's or the project's daily quota is spent and the policy is to dead-letter",
      Replay.BY_DEFAULT),
  QUOTA_DEFERRED("over a daily cap in a batch run whose tenant policy is to defer: replay after the reset",
      Replay.BY_DEFAULT),
  MODEL_RATE_LIMITED("the model answered 429 on every attempt", Replay.BY_DEFAULT),
  MODEL_BAD_REQUEST("the model refused the request (HTTP 400)", Replay.WHEN_NAMED),
  MODEL_AUTH_FAILED("the model refused the credentials (HTTP 401 or 403)", Replay.BY_DEFAULT),
  MODEL_PAYLOAD_TOO_LARGE("the model refused the request size (HTTP 413)", Replay.WHEN_NAMED),
  MODEL_REJECTED("the model answered another 4xx status", Replay.WHEN_NAMED),
  MODEL_UNAVAILABLE("the model answered 5xx or failed at the network level on every attempt", Replay.BY_DEFAULT),
  MODEL_TIMEOUT("the model did not answer within the per-request timeout on every attempt", Replay.BY_DEFAULT),
  MODEL_RESPONSE_INVALID("the model's answer was malformed, truncated or off-schema, also when asked again",
      Replay.WHEN_NAMED),
  MODEL_BLOCKED("the model declined to answer (safety or recitation block)", Replay.WHEN_NAMED),

  // Transcribe through the Gemini Batch API (--modelBatchMode).
  MODEL_BATCH_SUBMIT_FAILED("the batch job holding the call could not be created (requests upload or job creation "
      + "refused)", Replay.BY_DEFAULT),
  MODEL_BATCH_JOB_FAILED("the batch job holding the call failed, expired or was cancelled before answering",
      Replay.BY_DEFAULT),
  MODEL_BATCH_TIMEOUT("the batch job holding the call did not finish within --modelBatchDeadlineMinutes and was "
      + "cancelled", Replay.BY_DEFAULT),
  MODEL_BATCH_LINE_FAILED("the batch job answered the call's line with an error, or with no line at all",
      Replay.WHEN_NAMED),

  // Sinks.
  STORE_WRITE_FAILED("the call could not be written to the store", Replay.BY_DEFAULT),
  CRM_WRITE_FAILED("the call could not be written to the tenant's CRM", Replay.BY_DEFAULT),
  STORE_DATABASE_NOT_IN_JOB("the tenant's Spanner database was configured after the job was built: update the job",
      Replay.BY_DEFAULT),
  CRM_RATE_LIMITED("the CRM kept answering with its short-term rate limit within the call's retry budget",
      Replay.BY_DEFAULT),
  CRM_DAILY_LIMIT_REACHED("the tenant's daily CRM API allowance is spent (HubSpot DAILY, Salesforce REQUEST_LIMIT_EXCEEDED)",
      Replay.BY_DEFAULT),
  CRM_AUTH_FAILED("the CRM refused the tenant's credentials, also after a fresh token", Replay.BY_DEFAULT),
  CRM_REJECTED("the CRM refused the call with a 4xx status", Replay.WHEN_NAMED),
  CRM_AMBIGUOUS_MATCH("several CRM records carry the call's external id (Salesforce 300)", Replay.WHEN_NAMED),
  CRM_UNAVAILABLE("the CRM answered 5xx or failed at the network level on every attempt", Replay.BY_DEFAULT),
  CRM_CIRCUIT_OPEN("the tenant's CRM failed repeatedly just before: calls fail fast until it recovers",
      Replay.BY_DEFAULT),
  CRM_ENDPOINT_GONE("the tenant's webhook endpoint answered 410 Gone and is disabled on this worker",
      Replay.WHEN_NAMED),

  INTERNAL("an unexpected error in Parley itself; the message holds the exception type", Replay.WHEN_NAMED);

  /**
   * Whether a replay takes a code's dead letters by default. A default replay must be safe to run at any time: it
   * takes the codes whose cause passes (a 5xx, a quota reset, a storage hiccup) or is fixed outside the
   * recording (a rotated secret, an updated job), where processing the same recording again can succeed. Codes
   * that would fail the same way again, only costing model calls, or that need a person to look first, are
   * replayed only when named.
   */
  public enum Replay {
    BY_DEFAULT,
    WHEN_NAMED
  }

  private final String meaning;
  private final Replay replay;

  ErrorCode(String meaning, Replay replay) {
    this.meaning = meaning;
    this.replay = replay;
  }

  public String meaning() {
    return meaning;
  }

  public Replay replay() {
    return replay;
  }
}
