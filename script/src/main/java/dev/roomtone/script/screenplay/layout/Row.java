package dev.roomtone.script.screenplay.layout;

import java.util.List;

/** One line of a page; empty for a blank line, two or more parts side by side for dual dialogue. */
public record Row(List<Part> parts) {

  public static final Row BLANK = new Row(List.of());

  public Row {
    parts = List.copyOf(parts);
  }

  public static Row of(Part p) {
    return new Row(List.of(p));
  }

  public boolean blank() {
    return parts.isEmpty();
  }
}
