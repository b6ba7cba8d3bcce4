package dev.parley.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What {@code ProbeAudio} learned from a recording's header. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class AudioInfo {
  /** Container: WAV, FLAC, MP3, OGG, M4A, WEBM. */
  public abstract String getFormat();

  /** Encoding inside the container, e.g. PCM_S16LE, MULAW, ALAW, FLAC, MP3, OPUS, VORBIS, AAC. */
  public abstract String getCodec();

  /** The MIME type sent to the model. */
  public abstract String getMimeType();

  public abstract long getDurationMillis();

  public abstract int getSampleRateHz();

  public abstract int getChannels();

  public abstract @Nullable Integer getBitsPerSample();

  public static Builder builder() {
    return new AutoValue_AudioInfo.Builder();
  }

  public double durationSeconds() {
    return getDurationMillis() / 1000.0;
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setFormat(String value);

    public abstract Builder setCodec(String value);

    public abstract Builder setMimeType(String value);

    public abstract Builder setDurationMillis(long value);

    public abstract Builder setSampleRateHz(int value);

    public abstract Builder setChannels(int value);

    public abstract Builder setBitsPerSample(@Nullable Integer value);

    public abstract AudioInfo build();
  }
}
