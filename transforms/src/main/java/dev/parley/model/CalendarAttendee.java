package dev.parley.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A person invited to the meeting a call was matched to (rooms and other resources are left out). */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class CalendarAttendee {
  public abstract String getEmail();

  public abstract @Nullable String getDisplayName();

  /** As the Calendar API says: needsAction, declined, tentative or accepted. */
  public abstract @Nullable String getResponseStatus();

  public abstract boolean getOrganizer();

  /** Outside the tenant's own mail domains: a customer or partner rather than a colleague. */
  public abstract boolean getExternal();

  public static CalendarAttendee of(String email, @Nullable String displayName, @Nullable String responseStatus,
      boolean organizer, boolean external) {
    return new AutoValue_CalendarAttendee(email, displayName, responseStatus, organizer, external);
  }
}
