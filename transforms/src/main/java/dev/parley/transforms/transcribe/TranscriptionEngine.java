package dev.parley.transforms.transcribe;

import dev.parley.model.Transcript;

/**
 * A way to turn audio into a {@link Transcript}: one attempt per call, no retries inside. Retrying, waiting and
 * admission are the caller's, so they are the same for every engine and visible to Beam's metrics.
 * Implementations are created in a DoFn's {@code @Setup} and closed in its {@code @Teardown}.
 */
public interface TranscriptionEngine extends AutoCloseable {
  Transcript transcribe(TranscriptionRequest request) throws TranscriptionException;

  @Override
  void close();
}
