package dev.parley.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A transcribed call: what every sink (the local store, Spanner, the tenant's CRM) writes. Keyed by
 * {@code (tenantId, callId)}; every sink writes it idempotently on that key.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class CallRecord implements CallKeyed {
  public static final String STATUS_TRANSCRIBED = "TRANSCRIBED";

  @Override
  public abstract String getTenantId();

  @Override
  public abstract String getCallId();

  public abstract String getSourceUri();

  public abstract @Nullable Long getObjectGeneration();

  public abstract @Nullable CallMetadata getMetadata();

  public abstract AudioInfo getAudio();

  /** SHA-256 of the audio bytes the engine received, when the worker read them (inline and upload paths). */
  public abstract @Nullable String getAudioSha256();

  public abstract Transcript getTranscript();

  /** Transcription engine: gemini or speech-to-text. */
  public abstract String getEngine();

  public abstract String getStatus();

  /** Estimated cost of the model call in US dollars, from the configured price table. */
  public abstract @Nullable Double getEstimatedCostUsd();

  /** How long the call waited for its quota, over all its attempts. */
  public abstract @Nullable Long getAdmissionWaitMillis();

  /** When the recording arrived. */
  public abstract Instant getArrivedAt();

  /** When Parley finished transcribing it. */
  public abstract Instant getProcessedAt();

  /** Length of the recording as it arrived. Null only on a part's record before {@code StitchChunks}. */
  public abstract @Nullable Long getRawAudioMillis();

  /**
   * Audio sent to the model, what the call is billed on: after silences were trimmed, summed over channels and
   * chunks (chunk overlaps count twice, as they are sent twice). Null only before {@code StitchChunks}.
   */
  public abstract @Nullable Long getBilledAudioMillis();

  /** Set between Transcribe and StitchChunks on the record of one part of a call; null on every stored call. */
  public abstract @Nullable AudioPart getPart();

  /** The agent's meeting the call belongs to (or why none was found); null when the tenant has no calendar enrichment. */
  public abstract @Nullable CalendarMatch getCalendar();

  public static Builder builder() {
    return new AutoValue_CallRecord.Builder();
  }

  public abstract Builder toBuilder();

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setTenantId(String value);

    public abstract Builder setCallId(String value);

    public abstract Builder setSourceUri(String value);

    public abstract Builder setObjectGeneration(@Nullable Long value);

    public abstract Builder setMetadata(@Nullable CallMetadata value);

    public abstract Builder setAudio(AudioInfo value);

    public abstract Builder setAudioSha256(@Nullable String value);

    public abstract Builder setTranscript(Transcript value);

    public abstract Builder setEngine(String value);

    public abstract Builder setStatus(String value);

    public abstract Builder setEstimatedCostUsd(@Nullable Double value);

    public abstract Builder setAdmissionWaitMillis(@Nullable Long value);

    public abstract Builder setArrivedAt(Instant value);

    public abstract Builder setProcessedAt(Instant value);

    public abstract Builder setRawAudioMillis(@Nullable Long value);

    public abstract Builder setBilledAudioMillis(@Nullable Long value);

    public abstract Builder setPart(@Nullable AudioPart value);

    public abstract Builder setCalendar(@Nullable CalendarMatch value);

    public abstract CallRecord build();
  }
}
