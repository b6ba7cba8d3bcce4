package dev.parley.model;

import com.google.auto.value.AutoValue;
import java.util.List;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What an engine (Gemini or Speech-to-Text) made of one recording. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Transcript {
  public abstract List<TranscriptSegment> getSegments();

  /** BCP-47 tag of the detected language. */
  public abstract @Nullable String getLanguage();

  public abstract @Nullable String getSummary();

  public abstract List<String> getActionItems();

  /** The engine and model that produced it, e.g. {@code gemini/gemini-2.5-flash}. */
  public abstract String getModel();

  public abstract long getInputTokens();

  public abstract long getOutputTokens();

  public static Builder builder() {
    return new AutoValue_Transcript.Builder().setActionItems(List.of());
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setSegments(List<TranscriptSegment> value);

    public abstract Builder setLanguage(@Nullable String value);

    public abstract Builder setSummary(@Nullable String value);

    public abstract Builder setActionItems(List<String> value);

    public abstract Builder setModel(String value);

    public abstract Builder setInputTokens(long value);

    public abstract Builder setOutputTokens(long value);

    public abstract Transcript build();
  }
}
