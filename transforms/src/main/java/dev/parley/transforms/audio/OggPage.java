package dev.parley.transforms.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * One Ogg page header (RFC 3533): 27 bytes, then a segment table whose lacing values add up to the body length.
 * Hand-written: the only Java Ogg code on Maven Central (JOrbis's jogg) is a push-style packet framer with no
 * way to seek to a page, and a page header is a few fixed fields.
 */
record OggPage(int headerType, long granulePosition, int serial, int headerLength, int bodyLength, int[] lacing) {
  static final int FIXED_HEADER = 27;
  /** The largest page: header, 255 lacing values, 255 segments of 255 bytes. */
  static final int MAX_PAGE = FIXED_HEADER + 255 + 255 * 255;
  static final int END_OF_STREAM = 0x04;

  /** The page header at {@code at}; empty when the bytes there are not one, or the segment table is cut off. */
  static Optional<OggPage> parse(ByteBuffer buffer, int at) {
    if (at + FIXED_HEADER > buffer.limit() || buffer.get(at) != 'O' || buffer.get(at + 1) != 'g'
        || buffer.get(at + 2) != 'g' || buffer.get(at + 3) != 'S' || buffer.get(at + 4) != 0) {
      return Optional.empty();
    }
    ByteBuffer le = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int segments = buffer.get(at + 26) & 0xff;
    if (at + FIXED_HEADER + segments > buffer.limit()) {
      return Optional.empty();
    }
    int[] lacing = new int[segments];
    int body = 0;
    for (int i = 0; i < segments; i++) {
      lacing[i] = buffer.get(at + FIXED_HEADER + i) & 0xff;
      body += lacing[i];
    }
    return Optional.of(new OggPage(buffer.get(at + 5) & 0xff, le.getLong(at + 6), le.getInt(at + 14),
        FIXED_HEADER + segments, body, lacing));
  }

  int totalLength() {
    return headerLength + bodyLength;
  }
}
