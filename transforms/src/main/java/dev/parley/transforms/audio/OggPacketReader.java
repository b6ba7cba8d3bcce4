package dev.parley.transforms.audio;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The packets of the first logical stream of an Ogg file, in order, reassembled across pages (a lacing value of
 * 255 continues a packet). Reads page by page: at most one page and one packet are in memory.
 */
public final class OggPacketReader implements java.io.Closeable {
  private final InputStream in;
  private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private Integer serial;
  private boolean ended;

  public OggPacketReader(InputStream in) {
    this.in = in;
  }

  /** The next packet, or null at the end of the stream. */
  public byte[] next() throws IOException {
    while (ready.isEmpty() && !ended) {
      readPage();
    }
    return ready.poll();
  }

  private void readPage() throws IOException {
    byte[] fixed = in.readNBytes(OggPage.FIXED_HEADER);
    if (fixed.length == 0) {
      ended = true;
      return;
    }
    if (fixed.length < OggPage.FIXED_HEADER) {
      throw new EOFException("Ogg stream ends inside a page header");
    }
    byte[] lacing = in.readNBytes(fixed[26] & 0xff);
    ByteBuffer header = ByteBuffer.allocate(fixed.length + lacing.length).put(fixed).put(lacing).flip();
    OggPage page = OggPage.parse(header, 0).orElseThrow(() -> new IOException("Ogg stream lost page sync"));
    byte[] body = in.readNBytes(page.bodyLength());
    if (body.length < page.bodyLength()) {
      throw new EOFException("Ogg stream ends inside a page");
    }
    if (serial == null) {
      serial = page.serial();
    }
    if (page.serial() != serial) {
      return; // Another logical stream multiplexed in: not ours.
    }
    int at = 0;
    for (int value : page.lacing()) {
      partial.write(body, at, value);
      at += value;
      if (value < 255) {
        ready.add(partial.toByteArray());
        partial.reset();
      }
    }
    if ((page.headerType() & OggPage.END_OF_STREAM) != 0) {
      ended = true;
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
