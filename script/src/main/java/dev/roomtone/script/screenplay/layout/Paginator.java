package dev.roomtone.script.screenplay.layout;

import static dev.roomtone.script.screenplay.layout.PageGrid.CHARACTER_X;
import static dev.roomtone.script.screenplay.layout.PageGrid.CHAR_WIDTH;
import static dev.roomtone.script.screenplay.layout.PageGrid.DIALOGUE_CHARS;
import static dev.roomtone.script.screenplay.layout.PageGrid.DIALOGUE_X;
import static dev.roomtone.script.screenplay.layout.PageGrid.LEFT;
import static dev.roomtone.script.screenplay.layout.PageGrid.PARENTHETICAL_CHARS;
import static dev.roomtone.script.screenplay.layout.PageGrid.PARENTHETICAL_X;

import dev.roomtone.script.screenplay.InlineText;
import dev.roomtone.script.screenplay.Screenplay;
import dev.roomtone.script.screenplay.ScreenplayElement;
import dev.roomtone.script.screenplay.ScreenplayElement.Action;
import dev.roomtone.script.screenplay.ScreenplayElement.Centered;
import dev.roomtone.script.screenplay.ScreenplayElement.Character;
import dev.roomtone.script.screenplay.ScreenplayElement.Dialogue;
import dev.roomtone.script.screenplay.ScreenplayElement.Lyrics;
import dev.roomtone.script.screenplay.ScreenplayElement.PageBreak;
import dev.roomtone.script.screenplay.ScreenplayElement.Parenthetical;
import dev.roomtone.script.screenplay.ScreenplayElement.SceneHeading;
import dev.roomtone.script.screenplay.ScreenplayElement.Transition;
import dev.roomtone.script.screenplay.TextRun;
import dev.roomtone.script.screenplay.TitleField;
import dev.roomtone.script.screenplay.layout.Part.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Lays a screenplay out on pages. Rules: one blank line between blocks; a scene heading never
 * ends a page (it goes over with the first two lines of what follows); a speech that does not fit
 * is split after a sentence with {@code (MORE)} under it and the cue repeated with
 * {@code (CONT'D)} on the next page, never leaving a cue with fewer than two lines or a
 * parenthetical last; action splits keep two lines on each side; dual dialogue is not split.
 * Sections, synopses and notes are not printed.
 */
public final class Paginator {

  private static final String MORE = "(MORE)";
  private static final String CONTD = "(CONT'D)";

  private final LayoutOptions options;
  private final PageGrid grid;
  private final int lines;

  public Paginator(LayoutOptions options) {
    this.options = options;
    this.grid = options.grid();
    this.lines = grid.linesPerPage();
  }

  /** Title page (if asked and the script has one) then the numbered pages. */
  public List<Page> paginate(Screenplay s) {
    List<Page> pages = new ArrayList<>();
    if (options.titlePage() && !s.titlePage().isEmpty()) {
      pages.add(titlePage(s));
    }
    pages.addAll(pages(blocks(s)));
    return pages;
  }

  // ---- blocks

  List<Block> blocks(Screenplay s) {
    List<Block> out = new ArrayList<>();
    List<ScreenplayElement> els = s.elements();
    int sceneCounter = 0;
    for (int i = 0; i < els.size(); i++) {
      ScreenplayElement e = els.get(i);
      switch (e) {
        case SceneHeading h -> {
          sceneCounter++;
          List<TextRun> runs = upper(InlineText.runs(h.text()));
          List<List<TextRun>> wrapped = Wrap.wrap(runs, grid.fullWidthChars() - 2);
          List<Row> rows = new ArrayList<>();
          for (int k = 0; k < wrapped.size(); k++) {
            List<Part> parts = new ArrayList<>();
            parts.add(new Part(wrapped.get(k), LEFT, Kind.SCENE_HEADING));
            if (k == 0 && options.sceneNumbers()) {
              String n = h.sceneNumber() != null ? h.sceneNumber() : Integer.toString(sceneCounter);
              parts.add(0, new Part(List.of(TextRun.plain(n)), PageGrid.LEFT - 0.1 * (n.length() + 5), Kind.SCENE_NUMBER));
              parts.add(new Part(List.of(TextRun.plain(n)), grid.sceneNumberRightX(), Kind.SCENE_NUMBER));
            }
            rows.add(new Row(parts));
          }
          out.add(new Block(Block.Type.SCENE_HEADING, out.isEmpty() ? 0 : 1, rows, null));
        }
        case Action a -> out.add(new Block(Block.Type.ACTION, 1,
            rows(InlineText.runs(a.text()), LEFT, grid.fullWidthChars(), Kind.ACTION), null));
        case Character c -> {
          int end = speechEnd(els, i + 1);
          boolean dualNext = end < els.size() && els.get(end) instanceof Character next && next.dual();
          if (dualNext) {
            int end2 = speechEnd(els, end + 1);
            out.add(dual(els.subList(i, end), els.subList(end, end2)));
            i = end2 - 1;
          } else {
            Part cue = cue(c, CHARACTER_X);
            List<Row> rows = new ArrayList<>();
            rows.add(Row.of(cue));
            speechRows(els.subList(i + 1, end), DIALOGUE_X, DIALOGUE_CHARS, PARENTHETICAL_X, PARENTHETICAL_CHARS,
                rows);
            out.add(new Block(Block.Type.SPEECH, 1, rows, cue));
            i = end - 1;
          }
        }
        case Transition t -> {
          List<TextRun> runs = upper(InlineText.runs(t.text()));
          int len = runs.stream().mapToInt(r -> r.text().length()).sum();
          double x = Math.max(LEFT, grid.right() - len * CHAR_WIDTH);
          out.add(new Block(Block.Type.TRANSITION, 1, rows(runs, x, grid.fullWidthChars(), Kind.TRANSITION), null));
        }
        case Centered c -> {
          List<Row> rows = new ArrayList<>();
          for (List<TextRun> line : Wrap.wrap(InlineText.runs(c.text()), grid.fullWidthChars())) {
            int len = line.stream().mapToInt(r -> r.text().length()).sum();
            double x = LEFT + (grid.fullWidthChars() - len) / 2.0 * CHAR_WIDTH;
            rows.add(Row.of(new Part(line, x, Kind.CENTERED)));
          }
          // consecutive centered lines read as one block
          boolean joined = !out.isEmpty() && out.get(out.size() - 1).type() == Block.Type.CENTERED && i > 0
              && els.get(i - 1) instanceof Centered;
          if (joined) {
            Block prev = out.remove(out.size() - 1);
            List<Row> all = new ArrayList<>(prev.rows());
            all.addAll(rows);
            out.add(new Block(Block.Type.CENTERED, prev.spaceBefore(), all, null));
          } else {
            out.add(new Block(Block.Type.CENTERED, 1, rows, null));
          }
        }
        case Lyrics l -> {
          List<Row> rows = rows(italic(InlineText.runs(l.text())), DIALOGUE_X, DIALOGUE_CHARS, Kind.LYRICS);
          boolean joined = !out.isEmpty() && out.get(out.size() - 1).type() == Block.Type.LYRICS
              && els.get(i - 1) instanceof Lyrics;
          if (joined) {
            Block prev = out.remove(out.size() - 1);
            List<Row> all = new ArrayList<>(prev.rows());
            all.addAll(rows);
            out.add(new Block(Block.Type.LYRICS, prev.spaceBefore(), all, null));
          } else {
            out.add(new Block(Block.Type.LYRICS, 1, rows, null));
          }
        }
        case PageBreak p -> out.add(new Block(Block.Type.PAGE_BREAK, 0, List.of(), null));
        case Parenthetical p -> out.add(new Block(Block.Type.ACTION, 1,
            rows(InlineText.runs(p.text()), PARENTHETICAL_X, PARENTHETICAL_CHARS, Kind.PARENTHETICAL), null));
        case Dialogue d -> out.add(new Block(Block.Type.ACTION, 1,
            rows(InlineText.runs(d.text()), DIALOGUE_X, DIALOGUE_CHARS, Kind.DIALOGUE), null));
        default -> {
          // sections, synopses and notes are for the writers, not the page
        }
      }
    }
    return out;
  }

  private static int speechEnd(List<ScreenplayElement> els, int from) {
    int j = from;
    while (j < els.size() && (els.get(j) instanceof Dialogue || els.get(j) instanceof Parenthetical
        || els.get(j) instanceof Lyrics && ScreenplayElement.adjacent(els.get(j - 1), els.get(j)))) {
      j++;
    }
    return j;
  }

  private static Part cue(Character c, double x) {
    return new Part(upperNameOnly(c), x, Kind.CHARACTER);
  }

  private static List<TextRun> upperNameOnly(Character c) {
    List<TextRun> runs = new ArrayList<>(InlineText.runs(c.name()));
    if (!c.extension().isEmpty()) {
      runs.add(TextRun.plain(" " + c.extension()));
    }
    return runs;
  }

  private static void speechRows(List<ScreenplayElement> speech, double dx, int dw, double px, int pw, List<Row> rows) {
    for (ScreenplayElement e : speech) {
      switch (e) {
        case Parenthetical p -> rows.addAll(rows(InlineText.runs(p.text()), px, pw, Kind.PARENTHETICAL));
        case Lyrics l -> rows.addAll(rows(italic(InlineText.runs(l.text())), dx, dw, Kind.LYRICS));
        default -> rows.addAll(rows(InlineText.runs(e.text()), dx, dw, Kind.DIALOGUE));
      }
    }
  }

  /** Two speeches side by side: the left one in the left half of the text column, the right one in the right. */
  private Block dual(List<ScreenplayElement> left, List<ScreenplayElement> right) {
    double half = (grid.right() - LEFT) / 2;
    List<Row> l = new ArrayList<>();
    List<Row> r = new ArrayList<>();
    int dw = (int) Math.floor(half / CHAR_WIDTH) - 3;
    for (int side = 0; side < 2; side++) {
      double x0 = LEFT + side * half;
      List<ScreenplayElement> speech = side == 0 ? left : right;
      List<Row> rows = side == 0 ? l : r;
      rows.add(Row.of(cue((Character) speech.get(0), x0 + 0.8)));
      speechRows(speech.subList(1, speech.size()), x0, dw, x0 + 0.3, dw - 4, rows);
    }
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < Math.max(l.size(), r.size()); k++) {
      List<Part> parts = new ArrayList<>();
      if (k < l.size()) {
        parts.addAll(l.get(k).parts());
      }
      if (k < r.size()) {
        parts.addAll(r.get(k).parts());
      }
      rows.add(new Row(parts));
    }
    return new Block(Block.Type.DUAL_SPEECH, 1, rows, null);
  }

  private static List<Row> rows(List<TextRun> runs, double x, int width, Kind kind) {
    List<Row> rows = new ArrayList<>();
    for (List<TextRun> line : Wrap.wrap(runs, width)) {
      rows.add(line.isEmpty() ? Row.BLANK : Row.of(new Part(line, x, kind)));
    }
    return rows;
  }

  private static List<TextRun> upper(List<TextRun> runs) {
    return runs.stream().map(r -> new TextRun(r.text().toUpperCase(Locale.ROOT), r.bold(), r.italic(), r.underline()))
        .toList();
  }

  private static List<TextRun> italic(List<TextRun> runs) {
    return runs.stream().map(r -> new TextRun(r.text(), r.bold(), true, r.underline())).toList();
  }

  // ---- pages

  List<Page> pages(List<Block> blocks) {
    List<Page> pages = new ArrayList<>();
    List<Row> cur = new ArrayList<>();
    // where the scene heading last placed starts on this page (its blank line included), while
    // nothing has been placed after it: a heading left there when the page ends goes over too
    int headingAt = -1;
    for (int b = 0; b < blocks.size(); b++) {
      Block block = blocks.get(b);
      if (block.type() == Block.Type.PAGE_BREAK) {
        if (!cur.isEmpty()) {
          pages.add(page(pages.size() + 1, cur));
          cur = new ArrayList<>();
        }
        continue;
      }
      List<Row> rows = block.rows();
      while (true) {
        int space = cur.isEmpty() ? 0 : block.spaceBefore();
        int free = lines - cur.size() - space;
        int need = rows.size();
        if (block.type() == Block.Type.SCENE_HEADING && b + 1 < blocks.size()
            && blocks.get(b + 1).type() != Block.Type.PAGE_BREAK) {
          Block next = blocks.get(b + 1);
          need += next.spaceBefore() + Math.min(2, next.height());
        }
        if (need <= free) {
          int at = cur.size();
          addRows(cur, space, rows);
          headingAt = block.type() == Block.Type.SCENE_HEADING ? at : -1;
          break;
        }
        int split = splitPoint(block.type(), rows, free - (block.type() == Block.Type.SPEECH ? 1 : 0));
        if (split > 0) {
          headingAt = -1;
          addRows(cur, space, rows.subList(0, split));
          if (block.type() == Block.Type.SPEECH) {
            cur.add(Row.of(new Part(List.of(TextRun.plain(MORE)), CHARACTER_X, Kind.MORE)));
          }
          pages.add(page(pages.size() + 1, cur));
          cur = new ArrayList<>();
          Row head = null;
          if (block.type() == Block.Type.SPEECH) {
            Part cue = block.cue();
            List<TextRun> cueRuns = new ArrayList<>(cue.runs());
            if (!cue.text().contains(CONTD)) {
              cueRuns.add(TextRun.plain(" " + CONTD));
            }
            head = Row.of(new Part(cueRuns, cue.x(), Kind.CHARACTER));
          }
          rows = Rest.after(rows, split, head);
          continue;
        }
        if (cur.isEmpty()) {
          // taller than a page and cannot be split by the rules: cut it at the page end
          int cut = Math.min(lines, rows.size());
          addRows(cur, 0, rows.subList(0, cut));
          rows = Rest.after(rows, cut, null);
          headingAt = -1;
          if (rows.isEmpty()) {
            break;
          }
        }
        List<Row> carried = new ArrayList<>();
        if (headingAt > 0) {
          List<Row> tail = cur.subList(headingAt, cur.size());
          carried.addAll(tail.subList(tail.get(0).blank() ? 1 : 0, tail.size()));
          tail.clear();
        }
        headingAt = -1;
        pages.add(page(pages.size() + 1, cur));
        cur = new ArrayList<>(carried);
      }
    }
    if (!cur.isEmpty() || pages.isEmpty()) {
      pages.add(page(pages.size() + 1, cur));
    }
    return pages;
  }

  /**
   * The rows of a block still to place after some went on earlier pages, with an optional row in
   * front (the repeated cue): a view, not a copy, so a block hundreds of pages long costs linear time.
   */
  private static final class Rest extends java.util.AbstractList<Row> {
    private final List<Row> base;
    private final int from;
    private final Row head;

    private Rest(List<Row> base, int from, Row head) {
      this.base = base;
      this.from = from;
      this.head = head;
    }

    static List<Row> after(List<Row> rows, int placed, Row head) {
      if (rows instanceof Rest r) {
        // placed rows of a view: count off its own head, then step along the same base
        int skip = placed - (r.head == null ? 0 : 1);
        return new Rest(r.base, r.from + skip, head);
      }
      return new Rest(rows, placed, head);
    }

    @Override
    public Row get(int i) {
      return head == null ? base.get(from + i) : i == 0 ? head : base.get(from + i - 1);
    }

    @Override
    public int size() {
      return base.size() - from + (head == null ? 0 : 1);
    }
  }

  /** Rows of the block that may go on this page, or 0 where the rules allow no split here. */
  private static int splitPoint(Block.Type type, List<Row> rows, int free) {
    int n = rows.size();
    if (type == Block.Type.ACTION || type == Block.Type.LYRICS) {
      int k = Math.min(free, n - 2);
      return k >= 2 ? k : 0;
    }
    if (type != Block.Type.SPEECH) {
      return 0;
    }
    int fallback = 0;
    // the cue and at least two lines stay; at least two lines go over
    for (int k = Math.min(free, n - 2); k >= 3; k--) {
      Part last = rows.get(k - 1).blank() ? null : rows.get(k - 1).parts().get(0);
      if (last == null || last.kind() == Kind.PARENTHETICAL || last.kind() == Kind.CHARACTER) {
        continue;
      }
      String t = last.text().stripTrailing();
      if (t.endsWith(".") || t.endsWith("?") || t.endsWith("!") || t.endsWith("--") || t.endsWith("...")) {
        return k;
      }
      if (fallback == 0) {
        fallback = k;
      }
    }
    return fallback;
  }

  private static void addRows(List<Row> cur, int space, List<Row> rows) {
    for (int i = 0; i < space; i++) {
      cur.add(Row.BLANK);
    }
    cur.addAll(rows);
  }

  private Page page(int number, List<Row> rows) {
    List<Part> header = new ArrayList<>();
    if (number >= 2) {
      String n = number + ".";
      header.add(new Part(List.of(TextRun.plain(n)), grid.right() - n.length() * CHAR_WIDTH, Kind.PAGE_NUMBER));
    }
    return new Page(number, header, rows);
  }

  // ---- title page

  private Page titlePage(Screenplay s) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < lines; i++) {
      rows.add(Row.BLANK);
    }
    int row = lines / 3;
    for (String key : List.of("title", "credit", "author", "authors", "source")) {
      Optional<TitleField> f = s.title(key);
      if (f.isEmpty()) {
        continue;
      }
      for (String v : f.get().values()) {
        List<TextRun> runs = InlineText.runs(v);
        if (key.equals("title")) {
          runs = upper(runs);
        }
        int len = runs.stream().mapToInt(r -> r.text().length()).sum();
        double x = LEFT + (grid.fullWidthChars() - len) / 2.0 * CHAR_WIDTH;
        if (row < lines) {
          rows.set(row++, Row.of(new Part(runs, Math.max(LEFT, x), Kind.TITLE)));
        }
      }
      row += key.equals("title") ? 3 : 1;
    }
    List<String> left = new ArrayList<>();
    List<String> right = new ArrayList<>();
    for (TitleField f : s.titlePage()) {
      switch (f.normalizedKey()) {
        case "contact", "draft date", "date" -> left.addAll(f.values());
        case "copyright", "notes", "revision" -> right.addAll(f.values());
        default -> {
        }
      }
    }
    int base = lines - Math.max(left.size(), right.size());
    for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
      List<Part> parts = new ArrayList<>();
      if (i < left.size()) {
        parts.add(new Part(InlineText.runs(left.get(i)), 1.0, Kind.TITLE));
      }
      if (i < right.size()) {
        List<TextRun> runs = InlineText.runs(right.get(i));
        int len = runs.stream().mapToInt(r -> r.text().length()).sum();
        parts.add(new Part(runs, grid.right() - len * CHAR_WIDTH, Kind.TITLE));
      }
      if (base + i >= 0) {
        rows.set(base + i, new Row(parts));
      }
    }
    return new Page(0, List.of(), rows);
  }
}
