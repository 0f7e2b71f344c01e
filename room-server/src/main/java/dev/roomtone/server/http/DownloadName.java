package dev.roomtone.server.http;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * The name an exported script is saved under: the room's name made safe for every file system,
 * written into a Content-Disposition header as an ASCII {@code filename} for old clients and,
 * when the name is not plain ASCII, an RFC 5987 {@code filename*} with the name as the room has it.
 */
record DownloadName(String unicode, String ascii) {

  /** Characters no file system takes (Windows is the strictest), and control characters. */
  private static final String FORBIDDEN = "\\/:*?\"<>|";

  /** The room's name with {@code extension}; {@code fallback} (the room id) when nothing usable is left. */
  static DownloadName of(String roomName, String fallback, String extension) {
    String base = safe(roomName == null ? "" : roomName);
    if (base.isEmpty()) {
      base = safe(fallback);
    }
    String ascii = asciiOf(base);
    if (ascii.isEmpty()) {
      ascii = asciiOf(safe(fallback));
    }
    return new DownloadName(base + "." + extension, ascii + "." + extension);
  }

  /** The header's value: {@code attachment; filename="…"} and, for a non-ASCII name, {@code filename*=UTF-8''…}. */
  String contentDisposition() {
    String header = "attachment; filename=\"" + ascii + "\"";
    return unicode.equals(ascii) ? header : header + "; filename*=UTF-8''" + percentEncoded(unicode);
  }

  private static String safe(String name) {
    StringBuilder b = new StringBuilder(name.length());
    name.codePoints().forEach(c -> {
      // room names hold no control or direction-changing characters (RoomNames); joiners stay, scripts need them
      b.appendCodePoint(Character.isISOControl(c) || FORBIDDEN.indexOf(c) >= 0 || Character.isWhitespace(c) ? ' ' : c);
    });
    // no leading dots (hidden files), no trailing dots or spaces (Windows drops them)
    return b.toString().replaceAll(" {2,}", " ").strip().replaceAll("^\\.+", "").replaceAll("[. ]+$", "").strip();
  }

  /** An ASCII spelling: accents dropped, dashes and quotes made plain, anything else an underscore. */
  private static String asciiOf(String name) {
    String decomposed = Normalizer.normalize(name, Normalizer.Form.NFKD);
    StringBuilder b = new StringBuilder(decomposed.length());
    decomposed.codePoints().forEach(c -> {
      if (Character.getType(c) == Character.NON_SPACING_MARK) {
        return;
      }
      if (c >= 0x2010 && c <= 0x2015 || c == 0x2212) {
        b.append('-');
      } else if (c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D) {
        b.append('\''); // a double quote would end the quoted filename
      } else if (c >= 0x20 && c < 0x7F && c != '%' && c != ';' && c != '\\' && c != '"') {
        b.appendCodePoint(c);
      } else {
        b.append('_');
      }
    });
    String ascii = b.toString().replaceAll("_{2,}", "_").strip();
    return ascii.replace("_", "").isBlank() ? "" : ascii;
  }

  /** RFC 5987 value-chars: attr-char as is, every other UTF-8 byte as %XX. */
  private static String percentEncoded(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xFF;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return b.toString();
  }
}
