package dev.roomtone.script.screenplay;

import java.util.List;
import java.util.Optional;

/** A parsed screenplay: the title page and the elements in reading order. */
public record Screenplay(List<TitleField> titlePage, List<ScreenplayElement> elements) {

  public Screenplay {
    titlePage = List.copyOf(titlePage);
    elements = List.copyOf(elements);
  }

  /** The first title page entry with this key (case and spacing ignored). */
  public Optional<TitleField> title(String key) {
    String k = key.trim().toLowerCase(java.util.Locale.ROOT);
    return titlePage.stream().filter(f -> f.normalizedKey().equals(k)).findFirst();
  }

  /** The same screenplay with every source range cleared, for comparing across formats. */
  public Screenplay withoutRanges() {
    return new Screenplay(
        titlePage.stream().map(f -> new TitleField(f.key(), f.values())).toList(),
        elements.stream().map(e -> e.withRange(SourceRange.NONE)).toList());
  }
}
