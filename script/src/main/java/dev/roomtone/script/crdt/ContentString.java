package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.List;

/**
 * A run of text in UTF-16 code units. Typing appends to the previous run on every keystroke, so a run
 * that has been merged into becomes a builder that grows in amortised constant time; decoded runs
 * stay compact strings.
 */
final class ContentString implements Content {

  static final int REF = 4;
  private static final char REPLACEMENT = '\uFFFD';

  private CharSequence text;

  ContentString(String text) {
    this.text = text;
  }

  CharSequence text() {
    return text;
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public boolean countable() {
    return true;
  }

  @Override
  public List<Object> values() {
    List<Object> out = new ArrayList<>(text.length());
    for (int i = 0; i < text.length(); i++) {
      out.add(String.valueOf(text.charAt(i)));
    }
    return out;
  }

  @Override
  public Content copy() {
    return new ContentString(text.toString());
  }

  @Override
  public Content splice(int offset) {
    String all = text.toString();
    String left = all.substring(0, offset);
    String right = all.substring(offset);
    // Splitting a surrogate pair would leave invalid text on both sides; Yjs replaces the last
    // unit on the left and the first on the right with U+FFFD, and so must we to stay compatible.
    if (offset > 0 && Character.isHighSurrogate(left.charAt(offset - 1))) {
      left = left.substring(0, offset - 1) + REPLACEMENT;
      right = REPLACEMENT + right.substring(1);
    }
    text = left;
    return new ContentString(right);
  }

  @Override
  public boolean mergeWith(Content right) {
    CharSequence other = ((ContentString) right).text;
    if (text instanceof StringBuilder sb) {
      sb.append(other);
    } else {
      text = new StringBuilder(Math.max(16, (text.length() + other.length()) * 2)).append(text).append(other);
    }
    return true;
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    encoder.writeString(offset == 0 ? text : text.subSequence(offset, text.length()));
  }

  @Override
  public int ref() {
    return REF;
  }
}
