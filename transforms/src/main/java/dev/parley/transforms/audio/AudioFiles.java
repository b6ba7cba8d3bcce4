package dev.parley.transforms.audio;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;

/** Opens recordings through Beam's file systems (local, gs://) for reading by position. */
public final class AudioFiles {
  private AudioFiles() {}

  public static SeekableByteChannel openSeekable(String uri) throws IOException {
    ReadableByteChannel channel = FileSystems.open(FileSystems.matchNewResource(uri, false));
    if (channel instanceof SeekableByteChannel seekable) {
      return seekable;
    }
    channel.close();
    throw new IOException("the file system of " + uri + " cannot read by position");
  }
}
