package dev.roomtone.server.ai;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Generated images, stored by content (SHA-256) under {@code <data-dir>/assets/<room>/}: the same
 * image is kept once, and a room's images are served only to that room's members.
 */
public final class AssetStore {

  /** An asset's name: its SHA-256 and the extension of its type. */
  private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}\\.(png|jpg|webp)");
  private static final Pattern ROOM = Pattern.compile("[a-z0-9]{1,64}");
  private static final Map<String, String> EXTENSIONS = Map.of("image/png", "png", "image/jpeg", "jpg", "image/webp", "webp");

  /** An asset's file and media type. */
  public record Asset(Path file, String mediaType) {
  }

  private final Path root;

  public AssetStore(Path root) {
    this.root = root;
  }

  /** Stores an image of the room; returns its name. */
  public String put(String roomId, byte[] bytes, String mediaType) throws IOException {
    String ext = EXTENSIONS.get(mediaType);
    if (ext == null || !ROOM.matcher(roomId).matches()) {
      throw new IllegalArgumentException("not a storable image: " + mediaType + " for room " + roomId);
    }
    String name = sha256(bytes) + "." + ext;
    Path dir = root.resolve(roomId);
    Path file = dir.resolve(name);
    if (!Files.exists(file)) {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "upload-", ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    return name;
  }

  /**
   * The asset of that room with that name, if there is one; any other name finds nothing. Only
   * looks: the caller streams the file, so no request thread waits on reading it.
   */
  public Optional<Asset> get(String roomId, String name) {
    if (!ROOM.matcher(roomId).matches() || !NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    Path file = root.resolve(roomId).resolve(name);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String ext = name.substring(name.indexOf('.') + 1);
    String type = EXTENSIONS.entrySet().stream().filter(e -> e.getValue().equals(ext)).findFirst().orElseThrow().getKey();
    return Optional.of(new Asset(file, type));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
