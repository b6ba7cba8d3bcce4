package dev.parley.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** An arrival whose audio has been probed and found usable: the input of admission and transcription. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class ProbedAudio {
  public abstract AudioArrival getArrival();

  public abstract AudioInfo getAudio();

  public static ProbedAudio of(AudioArrival arrival, AudioInfo audio) {
    return new AutoValue_ProbedAudio(arrival, audio);
  }
}
