package dev.roomtone.script.screenplay;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Checks on script input before any parsing: a size limit and strict UTF-8 text. */
public final class ScriptBytes {

  /** The largest script accepted: a feature script is well under 1 MiB. */
  public static final int MAX_BYTES = 16 * 1024 * 1024;

  private ScriptBytes() {
  }

  public static void checkSize(long size) throws ScriptFormatException {
    if (size > MAX_BYTES) {
      throw new ScriptFormatException("input is " + size + " bytes; the limit is " + MAX_BYTES + " bytes (16 MiB)");
    }
  }

  /** The text of UTF-8 bytes (a byte order mark is dropped); refuses other encodings and binary data. */
  public static String utf8Text(byte[] bytes) throws ScriptFormatException {
    checkSize(bytes.length);
    int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
    for (int i = start; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') {
        throw new ScriptFormatException(String.format("not a text file: control byte 0x%02x at offset %d", b, i));
      }
    }
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    try {
      CharBuffer out = d.decode(in);
      return out.toString();
    } catch (CharacterCodingException e) {
      int at = in.position();
      throw new ScriptFormatException(String.format("not UTF-8 text: invalid byte 0x%02x at offset %d", bytes[at] & 0xff,
          at), e);
    }
  }
}
