package dev.parley.transforms.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;

/** Opens recordings through Beam's file systems (local, gs://) for reading by position. */
public final class AudioFiles {
  private AudioFiles() {}

  /** The recording; its read failures are {@link StorageReadException}s, whoever calls it. */
  public static SeekableByteChannel openSeekable(String uri) throws IOException {
    ReadableByteChannel channel = FileSystems.open(FileSystems.matchNewResource(uri, false));
    if (channel instanceof SeekableByteChannel seekable) {
      return new StorageChannel(seekable);
    }
    channel.close();
    throw new IOException("the file system of " + uri + " cannot read by position");
  }

  /** Marks the store's failures, so that they are not taken for the audio's. */
  private record StorageChannel(SeekableByteChannel channel) implements SeekableByteChannel {
    @Override
    public int read(ByteBuffer dst) throws IOException {
      try {
        return channel.read(dst);
      } catch (IOException e) {
        throw new StorageReadException(e);
      }
    }

    @Override
    public int write(ByteBuffer src) {
      throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
      return channel.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      try {
        channel.position(newPosition);
        return this;
      } catch (IOException e) {
        throw new StorageReadException(e);
      }
    }

    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
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
}
