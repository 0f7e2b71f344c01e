package dev.roomtone.multimodal.backend;

import java.util.Base64;

/** Checks that what an image server sent is an image, and decodes base64 payloads. */
final class Images {

  /** Largest image accepted from a server. */
  static final long MAX_IMAGE_BYTES = 32L << 20;

  private Images() {
  }

  static ImageBackend.Image check(byte[] bytes, String server) throws BackendException {
    String type = mediaType(bytes);
    if (type == null) {
      throw new BackendException(BackendException.Kind.MALFORMED, server + " sent " + bytes.length
          + " bytes that are not a PNG, JPEG or WebP image.");
    }
    return new ImageBackend.Image(bytes, type);
  }

  static ImageBackend.Image fromBase64(String encoded, String server) throws BackendException {
    if (encoded == null || encoded.isEmpty()) {
      throw new BackendException(BackendException.Kind.MALFORMED, server + " answered without an image.");
    }
    if (encoded.length() > MAX_IMAGE_BYTES * 4 / 3 + 4) {
      throw new BackendException(BackendException.Kind.MALFORMED, server + " sent an image larger than "
          + (MAX_IMAGE_BYTES >> 20) + " MiB.");
    }
    String data = encoded.startsWith("data:") ? encoded.substring(encoded.indexOf(',') + 1) : encoded;
    try {
      return check(Base64.getMimeDecoder().decode(data), server);
    } catch (IllegalArgumentException e) {
      throw new BackendException(BackendException.Kind.MALFORMED, server + " sent an image that is not valid base64: "
          + e.getMessage());
    }
  }

  static String mediaType(byte[] b) {
    if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
        && b[4] == 0x0d && b[5] == 0x0a && b[6] == 0x1a && b[7] == 0x0a) {
      return "image/png";
    }
    if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
      return "image/jpeg";
    }
    if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
        && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return "image/webp";
    }
    return null;
  }
}
