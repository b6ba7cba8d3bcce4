package dev.parley.model;

import com.google.auto.value.AutoValue;
import java.util.List;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One piece of a call that {@code PrepareAudio} cut out of the original recording: one channel (when the
 * tenant maps stereo channels to roles), one chunk of a long call, with silences trimmed. It is transcribed
 * like any call and put back together by {@code StitchChunks}, which needs everything here: whose part it is,
 * how many parts to wait for, which stretch of the original it owns and how its own time maps back.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class AudioPart {
  /** The recording as it arrived: the call the part belongs to, and what a replay of the whole call starts from. */
  public abstract AudioArrival getParentArrival();

  /** The original recording as probed: its duration is the call's raw audio length. */
  public abstract AudioInfo getParentAudio();

  /** {@code agent} or {@code customer} for one channel of a stereo call; null when the channels were mixed. */
  public abstract @Nullable String getChannelRole();

  /** Position of this chunk in its channel, from 0. */
  public abstract int getChunkIndex();

  public abstract int getChunkCount();

  /** Parts of the whole call, all channels and chunks: what {@code StitchChunks} waits for. */
  public abstract int getPartCount();

  /**
   * The stretch of the original timeline this part answers for, in milliseconds. Chunks overlap so that no word
   * is lost at a cut; a segment belongs to the part whose stretch holds its midpoint.
   */
  public abstract long getOwnedFromMillis();

  public abstract long getOwnedToMillis();

  /** Where each piece of the part's audio came from in the original; in order, back to back in the part. */
  public abstract List<TimeSpan> getTimeMap();

  public static Builder builder() {
    return new AutoValue_AudioPart.Builder();
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setParentArrival(AudioArrival value);

    public abstract Builder setParentAudio(AudioInfo value);

    public abstract Builder setChannelRole(@Nullable String value);

    public abstract Builder setChunkIndex(int value);

    public abstract Builder setChunkCount(int value);

    public abstract Builder setPartCount(int value);

    public abstract Builder setOwnedFromMillis(long value);

    public abstract Builder setOwnedToMillis(long value);

    public abstract Builder setTimeMap(List<TimeSpan> value);

    public abstract AudioPart build();
  }
}
