package dev.parley.transforms.audio;

import java.util.Optional;

/** Containers Parley recognises by their first bytes (never by file extension, which is often wrong). */
public enum AudioFormat {
  WAV("audio/wav"),
  FLAC("audio/flac"),
  MP3("audio/mp3"),
  OGG("audio/ogg"),
  M4A("audio/mp4"),
  WEBM("audio/webm");

  private final String mimeType;

  AudioFormat(String mimeType) {
    this.mimeType = mimeType;
  }

  public String mimeType() {
    return mimeType;
  }

  /** Bytes needed by {@link #sniff}. */
  public static final int SNIFF_BYTES = 12;

  public static Optional<AudioFormat> sniff(byte[] head, int length) {
    if (length >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE")) {
      return Optional.of(WAV);
    }
    if (length >= 4 && ascii(head, 0, "fLaC")) {
      return Optional.of(FLAC);
    }
    if (length >= 4 && ascii(head, 0, "OggS")) {
      return Optional.of(OGG);
    }
    if (length >= 8 && ascii(head, 4, "ftyp")) {
      return Optional.of(M4A);
    }
    if (length >= 4 && (head[0] & 0xff) == 0x1a && (head[1] & 0xff) == 0x45 && (head[2] & 0xff) == 0xdf
        && (head[3] & 0xff) == 0xa3) {
      return Optional.of(WEBM);
    }
    if (length >= 3 && ascii(head, 0, "ID3")) {
      return Optional.of(MP3);
    }
    // An MPEG audio frame sync: 11 set bits, a valid layer, not a reserved version.
    if (length >= 2 && (head[0] & 0xff) == 0xff && (head[1] & 0xe0) == 0xe0 && (head[1] & 0x06) != 0
        && (head[1] & 0x18) != 0x08) {
      return Optional.of(MP3);
    }
    return Optional.empty();
  }

  private static boolean ascii(byte[] bytes, int offset, String text) {
    for (int i = 0; i < text.length(); i++) {
      if (bytes[offset + i] != (byte) text.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
