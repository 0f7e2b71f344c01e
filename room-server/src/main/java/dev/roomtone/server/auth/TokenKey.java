package dev.roomtone.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The key member tokens are signed with: configured, or generated once into the data directory. */
public final class TokenKey {

  private TokenKey() {
  }

  /**
   * The configured secret's bytes, or the key in {@code <dataDir>/secrets/token.key}, created with
   * owner-only permissions on first use.
   */
  public static byte[] load(String configuredSecret, Path dataDir) throws IOException {
    if (configuredSecret != null && !configuredSecret.isEmpty()) {
      return configuredSecret.getBytes(StandardCharsets.UTF_8);
    }
    Path dir = dataDir.resolve("secrets");
    Path file = dir.resolve("token.key");
    if (!Files.exists(file)) {
      Files.createDirectories(dir);
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file); // not a POSIX file system
      } catch (FileAlreadyExistsException e) {
        return read(file); // another start won the race
      }
      Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
      return key;
    }
    return read(file);
  }

  private static byte[] read(Path file) throws IOException {
    byte[] key = Base64.getDecoder().decode(Files.readString(file).strip());
    if (key.length < 32) {
      throw new IOException(file + " holds a key shorter than 256 bits; delete it to generate a new one "
          + "(existing member tokens stop working)");
    }
    return key;
  }
}
