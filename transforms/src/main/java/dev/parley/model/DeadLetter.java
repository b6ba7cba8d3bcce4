package dev.parley.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Why an element left the pipeline, with enough to replay it: the stage, a stable {@link ErrorCode}, a
 * message for people, and the element itself as JSON ({@code payload}, in the schema of {@code payloadType}).
 * Messages are passed through the secret redactor before they get here.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class DeadLetter {
  public abstract String getStage();

  /** The name of an {@link ErrorCode}: stable across releases, safe to alert and filter on. */
  public abstract String getErrorCode();

  public abstract String getMessage();

  public abstract @Nullable String getTenantId();

  public abstract @Nullable String getSourceUri();

  public abstract @Nullable String getCallId();

  /** How many times the stage tried before giving up (1 when it did not retry). */
  public abstract int getAttempts();

  public abstract Instant getFailedAt();

  /** Simple name of the element type the payload holds, e.g. {@code AudioArrival}. */
  public abstract String getPayloadType();

  /** The failed element as JSON, for inspection and replay. */
  public abstract String getPayload();

  public static Builder builder() {
    return new AutoValue_DeadLetter.Builder().setAttempts(1);
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setStage(String value);

    public abstract Builder setErrorCode(String value);

    public abstract Builder setMessage(String value);

    public abstract Builder setTenantId(@Nullable String value);

    public abstract Builder setSourceUri(@Nullable String value);

    public abstract Builder setCallId(@Nullable String value);

    public abstract Builder setAttempts(int value);

    public abstract Builder setFailedAt(Instant value);

    public abstract Builder setPayloadType(String value);

    public abstract Builder setPayload(String value);

    public abstract DeadLetter build();
  }
}
