package dev.parley.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A recording that has arrived, whichever door it came through (Pub/Sub, drop folder, backfill). Everything
 * after {@code ParseArrival} works on this type only.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class AudioArrival {
  /** Stable id of the call: derived from bucket, object and generation, or from the event id. */
  public abstract String getCallId();

  /**
   * The tenant: as claimed by the event or taken from the path before {@code ResolveTenant}, checked
   * against tenant config after it. Null when nothing claims one (a GCS notification; resolved by prefix).
   */
  public abstract @Nullable String getTenantId();

  /** {@code gs://bucket/object}, or a local path for local runs. */
  public abstract String getSourceUri();

  /** The GCS object generation, when known. */
  public abstract @Nullable Long getObjectGeneration();

  /** The id of the event that announced the recording (Pub/Sub message id, or the producer's event id). */
  public abstract @Nullable String getEventId();

  public abstract long getSizeBytes();

  public abstract @Nullable String getContentType();

  /** When the recording arrived (object time, or the event's publish time). */
  public abstract Instant getEventTime();

  public abstract @Nullable CallMetadata getMetadata();

  /**
   * Set on an arrival that replays a dead letter ({@code parley dlq replay}): the dead letter's id. The call keeps
   * its id, so it rewrites the same rows and CRM records; this only lets it past {@code Dedupe}, which has seen the
   * call id before, once per dead letter.
   */
  public abstract @Nullable String getReplayOf();

  /**
   * What one processing of the call is keyed by, where a call id is remembered as seen or done: the call id, or
   * for a replay the call id and the dead letter it replays, so a replay is processed once however often it is sent.
   */
  public String processingKey() {
    return getReplayOf() == null ? getCallId() : getCallId() + "/replay/" + getReplayOf();
  }

  public static Builder builder() {
    return new AutoValue_AudioArrival.Builder();
  }

  public abstract Builder toBuilder();

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setCallId(String value);

    public abstract Builder setTenantId(@Nullable String value);

    public abstract Builder setSourceUri(String value);

    public abstract Builder setObjectGeneration(@Nullable Long value);

    public abstract Builder setEventId(@Nullable String value);

    public abstract Builder setSizeBytes(long value);

    public abstract Builder setContentType(@Nullable String value);

    public abstract Builder setEventTime(Instant value);

    public abstract Builder setMetadata(@Nullable CallMetadata value);

    public abstract Builder setReplayOf(@Nullable String value);

    public abstract AudioArrival build();
  }
}
