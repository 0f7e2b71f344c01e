package dev.roomtone.script.screenplay;

import java.util.Locale;
import java.util.Optional;

/** The formats a script goes out in (all) and comes in from (Fountain and FDX). */
public enum ScriptFormat {
  FOUNTAIN("fountain", "text/plain; charset=UTF-8", true),
  FDX("fdx", "application/xml", true),
  PDF("pdf", "application/pdf", false),
  TXT("txt", "text/plain; charset=UTF-8", false);

  private final String extension;
  private final String mediaType;
  private final boolean importable;

  ScriptFormat(String extension, String mediaType, boolean importable) {
    this.extension = extension;
    this.mediaType = mediaType;
    this.importable = importable;
  }

  public String extension() {
    return extension;
  }

  public String mediaType() {
    return mediaType;
  }

  public boolean importable() {
    return importable;
  }

  /** The format named {@code name} ("pdf", "FDX", ...), if any. */
  public static Optional<ScriptFormat> named(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (ScriptFormat f : values()) {
      if (f.extension.equals(n)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The format a file name's extension says ({@code .fountain}, {@code .spmd}, {@code .fdx}, {@code .pdf}, {@code .txt}). */
  public static Optional<ScriptFormat> ofFileName(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    return ext.equals("spmd") ? Optional.of(FOUNTAIN) : named(ext);
  }

  /** All names, for messages: {@code pdf|fdx|fountain|txt}. */
  public static String names() {
    return "pdf|fdx|fountain|txt";
  }
}
