package dev.parley.transforms.transcribe;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Adapts a storage stream to the google-genai 1.80 upload loop, which reads 8 MiB chunks and takes any short
 * read for the last chunk. Two fixes: each read fills the buffer unless the data ends (a network stream may
 * return less, which would truncate the upload), and the first read at the end returns 0 instead of -1, so
 * that a file of exactly a multiple of 8 MiB ends with an empty finalize chunk rather than the SDK's
 * {@code IllegalArgumentException: 0 > -1}.
 */
final class UploadStream extends FilterInputStream {
  private boolean endSignalled;

  UploadStream(InputStream in) {
    super(in);
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int total = in.readNBytes(buffer, offset, length);
    if (total == 0 && length > 0) {
      if (endSignalled) {
        return -1;
      }
      endSignalled = true;
    }
    return total;
  }
}
