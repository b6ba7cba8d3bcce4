package dev.parley.transforms.audio;

/** A stretch of audio in sample frames of the decoded recording: {@code [start, end)}. */
public record FrameSpan(long start, long end) {
  public long length() {
    return end - start;
  }
}
