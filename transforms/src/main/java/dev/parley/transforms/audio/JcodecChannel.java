package dev.parley.transforms.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;

/** A Beam (NIO) seekable channel as JCodec's own channel type, read-only; closing it closes the underlying one. */
final class JcodecChannel implements org.jcodec.common.io.SeekableByteChannel {
  private final java.nio.channels.SeekableByteChannel channel;

  JcodecChannel(java.nio.channels.SeekableByteChannel channel) {
    this.channel = channel;
  }

  @Override
  public long position() throws IOException {
    return channel.position();
  }

  @Override
  public org.jcodec.common.io.SeekableByteChannel setPosition(long position) throws IOException {
    channel.position(position);
    return this;
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public org.jcodec.common.io.SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return channel.read(dst);
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
