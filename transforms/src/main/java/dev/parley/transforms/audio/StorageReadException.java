package dev.parley.transforms.audio;

import java.io.IOException;

/**
 * Reading the recording from storage failed: a problem of the store (worth a retry), not of the audio. Raised by
 * the channels {@link AudioFiles} opens, so that a decoder's failure can be told apart from the store's.
 */
public final class StorageReadException extends IOException {
  StorageReadException(IOException cause) {
    super(cause.getMessage(), cause);
  }

  /** The storage failure behind {@code failure}, if a decoder wrapped one. */
  static StorageReadException in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StorageReadException storage) {
        return storage;
      }
    }
    return null;
  }
}
