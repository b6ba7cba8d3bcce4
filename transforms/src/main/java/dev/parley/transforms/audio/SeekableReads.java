package dev.parley.transforms.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;

/** Reads from a recording by position: Beam's channels are seekable for local files and Cloud Storage alike. */
final class SeekableReads {
  private SeekableReads() {}

  /** Up to {@code length} bytes at {@code position}; fewer only where the file ends. */
  static ByteBuffer readAt(SeekableByteChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    channel.position(position);
    while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
      // Keep reading: a network channel may return short reads.
    }
    return buffer.flip();
  }

  /** A buffered stream from {@code position} on; closing it closes the channel. */
  static InputStream streamFrom(SeekableByteChannel channel, long position) throws IOException {
    channel.position(position);
    return new java.io.BufferedInputStream(Channels.newInputStream(channel), 16 * 1024);
  }
}
