package dev.roomtone.script.crdt;

/**
 * UTF-8 the way browsers do it: encoding turns lone surrogates into U+FFFD (as TextEncoder does)
 * and decoding is strict (as lib0's fatal TextDecoder is), so both sides agree on every string length.
 */
final class Utf8 {

  private Utf8() {
  }

  static int encodedLength(CharSequence s) {
    int n = s.length();
    int len = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          len += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          len += 2; // 4 bytes for 2 chars
          i++;
        } else {
          len += 2; // 3 bytes, also for a lone surrogate written as U+FFFD
        }
      }
    }
    return len;
  }

  static int encode(CharSequence s, byte[] out, int pos) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[pos++] = (byte) c;
      } else if (c < 0x800) {
        out[pos++] = (byte) (0xC0 | (c >> 6));
        out[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          out[pos++] = (byte) (0xF0 | (cp >> 18));
          out[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          out[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          out[pos++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          out[pos++] = (byte) 0xEF;
          out[pos++] = (byte) 0xBF;
          out[pos++] = (byte) 0xBD;
        }
      } else {
        out[pos++] = (byte) (0xE0 | (c >> 12));
        out[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return pos;
  }

  /**
   * Decodes {@code len} bytes strictly; returns null when they are not well-formed UTF-8
   * (overlong forms, surrogates, truncated sequences, code points above U+10FFFF).
   */
  static String decode(byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    while (i < end && b[i] >= 0) {
      i++;
    }
    if (i == end) {
      return new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    StringBuilder sb = new StringBuilder(len);
    for (int k = off; k < i; k++) {
      sb.append((char) b[k]);
    }
    while (i < end) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        sb.append((char) c);
        i++;
      } else if (c >= 0xC2 && c <= 0xDF) {
        if (i + 1 >= end || !cont(b[i + 1])) {
          return null;
        }
        sb.append((char) (((c & 0x1F) << 6) | (b[i + 1] & 0x3F)));
        i += 2;
      } else if (c >= 0xE0 && c <= 0xEF) {
        if (i + 2 >= end || !cont(b[i + 1]) || !cont(b[i + 2])) {
          return null;
        }
        int cp = ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
        if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) {
          return null;
        }
        sb.append((char) cp);
        i += 3;
      } else if (c >= 0xF0 && c <= 0xF4) {
        if (i + 3 >= end || !cont(b[i + 1]) || !cont(b[i + 2]) || !cont(b[i + 3])) {
          return null;
        }
        int cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
        if (cp < 0x10000 || cp > 0x10FFFF) {
          return null;
        }
        sb.append(Character.highSurrogate(cp)).append(Character.lowSurrogate(cp));
        i += 4;
      } else {
        return null;
      }
    }
    return sb.toString();
  }

  private static boolean cont(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
