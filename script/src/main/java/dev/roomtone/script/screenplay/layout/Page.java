package dev.roomtone.script.screenplay.layout;

import java.util.List;

/**
 * A laid-out page. {@code number} is the script page number (the title page is 0); {@code header}
 * is printed above the text area (the page number from page 2 on).
 */
public record Page(int number, List<Part> header, List<Row> rows) {

  public Page {
    header = List.copyOf(header);
    rows = List.copyOf(rows);
  }
}
