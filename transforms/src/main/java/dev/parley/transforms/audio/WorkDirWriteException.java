package dev.parley.transforms.audio;

import java.io.IOException;

/** Derived audio could not be written to the work folder: a storage problem, not the recording's. */
public final class WorkDirWriteException extends IOException {
  WorkDirWriteException(String uri, IOException cause) {
    super("cannot write " + uri + ": " + cause.getMessage(), cause);
  }
}
