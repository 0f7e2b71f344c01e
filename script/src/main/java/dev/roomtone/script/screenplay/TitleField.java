package dev.roomtone.script.screenplay;

import java.util.List;

/** One title page entry, e.g. {@code Title}, {@code Credit}, {@code Author}; a value per line. */
public record TitleField(String key, List<String> values, SourceRange range) {

  public TitleField {
    values = List.copyOf(values);
  }

  public TitleField(String key, List<String> values) {
    this(key, values, SourceRange.NONE);
  }

  /** The key as written, lower-cased with single spaces, for lookups ("draft date"). */
  public String normalizedKey() {
    return key.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
  }
}
