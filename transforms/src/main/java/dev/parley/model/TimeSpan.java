package dev.parley.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** A stretch of kept audio: where it starts in the derived file, where in the original, and how long it is. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class TimeSpan {
  public abstract long getDerivedStartMillis();

  public abstract long getOriginalStartMillis();

  public abstract long getDurationMillis();

  public static TimeSpan of(long derivedStartMillis, long originalStartMillis, long durationMillis) {
    return new AutoValue_TimeSpan(derivedStartMillis, originalStartMillis, durationMillis);
  }

  public long derivedEndMillis() {
    return getDerivedStartMillis() + getDurationMillis();
  }

  public long originalEndMillis() {
    return getOriginalStartMillis() + getDurationMillis();
  }
}
