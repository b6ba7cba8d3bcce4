package dev.parley.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** One speaker turn, timed in milliseconds from the start of the original recording. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class TranscriptSegment {
  public abstract String getSpeaker();

  public abstract long getStartMillis();

  public abstract long getEndMillis();

  public abstract String getText();

  public static TranscriptSegment of(String speaker, long startMillis, long endMillis, String text) {
    return new AutoValue_TranscriptSegment(speaker, startMillis, endMillis, text);
  }
}
