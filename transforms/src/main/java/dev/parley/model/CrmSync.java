package dev.parley.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * What happened when a call was pushed into its tenant's CRM: the {@code CrmSync} row, keyed by
 * {@code (tenantId, callId, crm)}. A redelivered call rewrites the same row.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class CrmSync implements CallKeyed {
  public static final String SYNCED = "SYNCED";
  public static final String FAILED = "FAILED";

  @Override
  public abstract String getTenantId();

  @Override
  public abstract String getCallId();

  /** The CRM kind: hubspot, salesforce or webhook. */
  public abstract String getCrm();

  /** {@link #SYNCED} or {@link #FAILED}. */
  public abstract String getStatus();

  /** The CRM's id of the record Parley wrote (HubSpot call id, Salesforce Task id, webhook message id). */
  public abstract @Nullable String getExternalId();

  /** The CRM contact (HubSpot contact, Salesforce Contact or Lead) the call was linked to, if one matched. */
  public abstract @Nullable String getContactId();

  /** Whether the CRM record was created by this push (false: an earlier push's record was updated). */
  public abstract boolean getCreated();

  /** Push attempts made: 1 when the first went through; 0 when the tenant's endpoint was known down. */
  public abstract int getAttempts();

  /** The {@link ErrorCode} name when the push failed. */
  public abstract @Nullable String getErrorCode();

  /** Redacted reason when the push failed. */
  public abstract @Nullable String getLastError();

  public abstract Instant getSyncedAt();

  public static Builder builder() {
    return new AutoValue_CrmSync.Builder().setCreated(false);
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setTenantId(String value);

    public abstract Builder setCallId(String value);

    public abstract Builder setCrm(String value);

    public abstract Builder setStatus(String value);

    public abstract Builder setExternalId(@Nullable String value);

    public abstract Builder setContactId(@Nullable String value);

    public abstract Builder setCreated(boolean value);

    public abstract Builder setAttempts(int value);

    public abstract Builder setErrorCode(@Nullable String value);

    public abstract Builder setLastError(@Nullable String value);

    public abstract Builder setSyncedAt(Instant value);

    public abstract CrmSync build();
  }
}
