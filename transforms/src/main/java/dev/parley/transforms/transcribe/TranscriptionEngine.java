package dev.parley.transforms.transcribe;

/**
 * A way to turn audio into a transcript. {@link #prepare} gets one call's audio to the engine (inline bytes, an
 * upload, or a gs:// reference); the {@link PreparedCall} then makes one attempt per {@code attempt()}, with no
 * retries inside. Retrying, waiting and admission are the caller's, so they are the same for every engine and
 * visible to Beam's metrics. Engines are created in a DoFn's {@code @Setup} and closed in its {@code @Teardown}.
 */
public interface TranscriptionEngine extends AutoCloseable {
  PreparedCall prepare(TranscriptionRequest request) throws TranscriptionException;

  @Override
  void close();
}
