package dev.parley.model;

import com.google.auto.value.AutoValue;
import java.util.List;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * What the phone system knows about a call, when it tells us: from Parley's own arrival event, a sidecar
 * {@code {object}.json}, or {@code x-goog-meta-*} object metadata. Every field is optional.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class CallMetadata {
  public static final String INBOUND = "INBOUND";
  public static final String OUTBOUND = "OUTBOUND";

  /** The phone system's own id for the call. */
  public abstract @Nullable String getExternalCallId();

  /** {@link #INBOUND} or {@link #OUTBOUND}. */
  public abstract @Nullable String getDirection();

  public abstract @Nullable String getFromNumber();

  public abstract @Nullable String getToNumber();

  public abstract @Nullable List<String> getParticipantEmails();

  /** The agent's email or login, used for speaker labels and calendar lookups. */
  public abstract @Nullable String getAgent();

  public abstract @Nullable Instant getStartTime();

  public static Builder builder() {
    return new AutoValue_CallMetadata.Builder();
  }

  public abstract Builder toBuilder();

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setExternalCallId(@Nullable String value);

    public abstract Builder setDirection(@Nullable String value);

    public abstract Builder setFromNumber(@Nullable String value);

    public abstract Builder setToNumber(@Nullable String value);

    public abstract Builder setParticipantEmails(@Nullable List<String> value);

    public abstract Builder setAgent(@Nullable String value);

    public abstract Builder setStartTime(@Nullable Instant value);

    public abstract CallMetadata build();
  }
}
