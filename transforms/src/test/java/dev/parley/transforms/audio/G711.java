package dev.parley.transforms.audio;

/** G.711 compression, the reference algorithm, to make µ-law and A-law test files. */
final class G711 {
  private G711() {}

  static byte mulaw(short sample) {
    int sign = sample < 0 ? 0x80 : 0;
    int magnitude = Math.min(Math.abs((int) sample), 32635) + 0x84;
    int exponent = 7;
    for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (magnitude >> (exponent + 3)) & 0x0f;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  static byte alaw(short sample) {
    int sign = sample >= 0 ? 0x80 : 0;
    int magnitude = Math.min(Math.abs((int) sample), 32767) >> 3;
    int exponent = 0;
    int code;
    if (magnitude >= 32) {
      exponent = 31 - Integer.numberOfLeadingZeros(magnitude) - 4;
      code = (exponent << 4) | ((magnitude >> exponent) & 0x0f);
    } else {
      code = magnitude >> 1;
    }
    return (byte) ((sign | code) ^ 0x55);
  }
}
