package dev.roomtone.actors;

import java.util.random.RandomGenerator;

/** Random identifiers for rooms, members and invites: lower-case letters and digits, URL-safe. */
public final class Ids {

  private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

  private final RandomGenerator random;

  public Ids(RandomGenerator random) {
    this.random = random;
  }

  /** An id of {@code length} characters (5 bits each). */
  public String next(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }

  /** Whether {@code id} could have been made by this class (cheap check of untrusted input). */
  public static boolean looksValid(String id, int length) {
    if (id == null || id.length() != length) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }
}
