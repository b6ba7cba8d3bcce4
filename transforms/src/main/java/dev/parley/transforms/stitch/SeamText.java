package dev.parley.transforms.stitch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Words said at a seam between chunks, heard by both: how many of the leading words of a segment of the later
 * chunk repeat the end of what the earlier chunk already said. Compared on words lower-cased and stripped of
 * punctuation, since two transcriptions of one utterance differ in commas and capitals.
 */
final class SeamText {
  /** Fewer repeated words than this are taken for chance ("yes", "okay"), unless they are the whole segment. */
  static final int MIN_REPEATED_WORDS = 3;

  private SeamText() {}

  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String word : text.toLowerCase(Locale.ROOT).split("\\s+")) {
      String bare = word.replaceAll("[^\\p{L}\\p{N}]", "");
      if (!bare.isEmpty()) {
        words.add(bare);
      }
    }
    return words;
  }

  /**
   * The number of leading words of {@code later} that repeat words at the end of {@code earlier}, or that are
   * found whole inside it; 0 when they do not overlap.
   */
  static int repeatedLeadingWords(List<String> earlier, List<String> later) {
    if (later.isEmpty()) {
      return 0;
    }
    if (java.util.Collections.indexOfSubList(earlier, later) >= 0) {
      return later.size();
    }
    for (int n = Math.min(earlier.size(), later.size()); n >= MIN_REPEATED_WORDS; n--) {
      if (earlier.subList(earlier.size() - n, earlier.size()).equals(later.subList(0, n))) {
        return n;
      }
    }
    return 0;
  }

  /** {@code text} without its first {@code n} words (as {@link #words} counts them), spacing kept. */
  static String dropLeadingWords(String text, int n) {
    String[] tokens = text.strip().split("\\s+");
    int dropped = 0;
    int at = 0;
    while (at < tokens.length && dropped < n) {
      if (!words(tokens[at]).isEmpty()) {
        dropped++;
      }
      at++;
    }
    return String.join(" ", Arrays.copyOfRange(tokens, at, tokens.length));
  }
}
