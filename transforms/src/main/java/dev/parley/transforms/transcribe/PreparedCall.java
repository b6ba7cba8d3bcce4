package dev.parley.transforms.transcribe;

import dev.parley.model.Transcript;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One call whose audio the engine can reach; closing it releases what preparing it took (an uploaded file). */
public interface PreparedCall extends AutoCloseable {
  /** One request to the engine. */
  Transcript attempt() throws TranscriptionException;

  /** SHA-256 of the audio as the worker read it, or null when the worker never read it (gs:// references). */
  @Nullable String audioSha256();

  @Override
  void close();
}
