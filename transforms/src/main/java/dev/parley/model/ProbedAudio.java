package dev.parley.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;

/** An arrival whose audio has been probed and found usable: the input of admission and transcription. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class ProbedAudio {
  public abstract AudioArrival getArrival();

  public abstract AudioInfo getAudio();

  /**
   * Set when the audio is a part that {@code PrepareAudio} derived from a recording (a channel, a chunk, trimmed
   * or transcoded): the arrival then points at the derived file, and this says how it maps back.
   */
  public abstract @Nullable AudioPart getPart();

  public static ProbedAudio of(AudioArrival arrival, AudioInfo audio) {
    return new AutoValue_ProbedAudio(arrival, audio, null);
  }

  public static ProbedAudio part(AudioArrival arrival, AudioInfo audio, AudioPart part) {
    return new AutoValue_ProbedAudio(arrival, audio, part);
  }
}
