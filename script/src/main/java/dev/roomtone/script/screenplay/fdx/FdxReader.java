package dev.roomtone.script.screenplay.fdx;

import dev.roomtone.script.screenplay.FountainParser;
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
import dev.roomtone.script.screenplay.ScriptBytes;
import dev.roomtone.script.screenplay.ScriptFormatException;
import dev.roomtone.script.screenplay.SourceRange;
import dev.roomtone.script.screenplay.TextRun;
import dev.roomtone.script.screenplay.TitleField;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Final Draft XML to a {@link Screenplay}. Uses the JDK's StAX reader with DTDs refused and
 * external entities off: no XXE, no entity expansion (billion laughs), no network access. Element
 * nesting is capped. Broken XML gives a {@link ScriptFormatException} with its line and column.
 */
public final class FdxReader {

  /** Final Draft nests about six deep; anything far deeper is not a script. */
  public static final int MAX_DEPTH = 64;

  private static final Pattern DATE_LIKE = Pattern.compile(".*\\d{1,4}.*");

  private FdxReader() {
  }

  public static Screenplay read(byte[] fdx) throws ScriptFormatException {
    ScriptBytes.checkSize(fdx.length);
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    trySet(f, XMLConstants.ACCESS_EXTERNAL_DTD, "");
    trySet(f, XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    XMLStreamReader r = null;
    try {
      r = f.createXMLStreamReader(new ByteArrayInputStream(fdx));
      return new Reading(r).document();
    } catch (XMLStreamException e) {
      Location at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNumber() + ", column " + at.getColumnNumber();
      String msg = e.getMessage() == null ? "" : e.getMessage().replaceFirst("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", "");
      throw new ScriptFormatException("not a readable FDX file: broken XML" + where + ": " + msg.strip(), e);
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing held beyond the byte array
        }
      }
    }
  }

  private static void trySet(XMLInputFactory f, String name, Object value) {
    try {
      f.setProperty(name, value);
    } catch (IllegalArgumentException ignored) {
      // an implementation without the property has DTDs off already (set above)
    }
  }

  /** A paragraph as read: its type, attributes and styled text. */
  private record Para(String type, Map<String, String> attrs, List<TextRun> runs, int dualGroup) {
    String plain() {
      StringBuilder b = new StringBuilder();
      for (TextRun t : runs) {
        b.append(t.text());
      }
      return b.toString();
    }
  }

  private static final class Reading {
    private final XMLStreamReader r;
    private int depth;
    private int dualGroups;

    Reading(XMLStreamReader r) {
      this.r = r;
    }

    Screenplay document() throws XMLStreamException, ScriptFormatException {
      if (!nextStart()) {
        throw new ScriptFormatException("not a Final Draft file: no XML element in it");
      }
      if (!r.getLocalName().equals("FinalDraft")) {
        throw new ScriptFormatException("not a Final Draft file: the root element is <" + r.getLocalName()
            + ">, expected <FinalDraft>");
      }
      String docType = r.getAttributeValue(null, "DocumentType");
      if (docType != null && !docType.equals("Script")) {
        throw new ScriptFormatException("Final Draft document of type '" + docType + "': only scripts can be imported");
      }
      List<Para> body = new ArrayList<>();
      List<Para> title = new ArrayList<>();
      int rootDepth = depth;
      while (r.hasNext()) {
        int ev = next();
        if (ev == XMLStreamConstants.START_ELEMENT && depth == rootDepth + 1) {
          switch (r.getLocalName()) {
            case "Content" -> paragraphs(body, depth, -1);
            case "TitlePage" -> titlePage(title);
            default -> skip();
          }
        } else if (ev == XMLStreamConstants.END_ELEMENT && depth < rootDepth) {
          break;
        }
      }
      return new Screenplay(titleFields(title), elements(body));
    }

    private int next() throws XMLStreamException, ScriptFormatException {
      int ev = r.next();
      switch (ev) {
        case XMLStreamConstants.START_ELEMENT -> {
          depth++;
          if (depth > MAX_DEPTH) {
            Location at = r.getLocation();
            throw new ScriptFormatException("not a Final Draft file: elements nested deeper than " + MAX_DEPTH
                + " at line " + at.getLineNumber());
          }
        }
        case XMLStreamConstants.END_ELEMENT -> depth--;
        case XMLStreamConstants.DTD -> throw new ScriptFormatException(
            "FDX with a DOCTYPE refused: Final Draft files have none, and entity definitions are not expanded");
        case XMLStreamConstants.ENTITY_REFERENCE -> throw new ScriptFormatException(
            "FDX with an undeclared entity &" + r.getLocalName() + "; refused at line " + r.getLocation().getLineNumber());
        default -> {
        }
      }
      return ev;
    }

    private boolean nextStart() throws XMLStreamException, ScriptFormatException {
      while (r.hasNext()) {
        if (next() == XMLStreamConstants.START_ELEMENT) {
          return true;
        }
      }
      return false;
    }

    /** Skips the element just started. */
    private void skip() throws XMLStreamException, ScriptFormatException {
      int d = depth;
      while (r.hasNext() && depth >= d) {
        next();
      }
    }

    private void titlePage(List<Para> out) throws XMLStreamException, ScriptFormatException {
      int d = depth;
      while (r.hasNext()) {
        int ev = next();
        if (ev == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("Content")) {
          paragraphs(out, depth, -1);
        } else if (ev == XMLStreamConstants.END_ELEMENT && depth < d) {
          return;
        }
      }
    }

    /** The paragraphs of a {@code <Content>} (or {@code <DualDialogue>}) element just started. */
    private void paragraphs(List<Para> out, int containerDepth, int dual) throws XMLStreamException, ScriptFormatException {
      while (r.hasNext()) {
        int ev = next();
        if (ev == XMLStreamConstants.START_ELEMENT && depth == containerDepth + 1) {
          if (r.getLocalName().equals("Paragraph")) {
            paragraph(out, dual);
          } else {
            skip();
          }
        } else if (ev == XMLStreamConstants.END_ELEMENT && depth < containerDepth) {
          return;
        }
      }
    }

    private void paragraph(List<Para> out, int dual) throws XMLStreamException, ScriptFormatException {
      Map<String, String> attrs = new LinkedHashMap<>();
      for (int i = 0; i < r.getAttributeCount(); i++) {
        attrs.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
      }
      String type = attrs.getOrDefault("Type", "");
      int d = depth;
      List<TextRun> runs = new ArrayList<>();
      int before = out.size();
      out.add(null);
      while (r.hasNext()) {
        int ev = next();
        if (ev == XMLStreamConstants.START_ELEMENT) {
          switch (r.getLocalName()) {
            case "Text" -> runs.add(text());
            case "DualDialogue" -> {
              out.remove(before);
              if ("Yes".equals(attrs.get("StartsNewPage"))) {
                out.add(new Para("PageBreak", Map.of(), List.of(), -1));
              }
              paragraphs(out, depth, ++dualGroups);
              before = -1;
            }
            default -> skip();
          }
        } else if (ev == XMLStreamConstants.END_ELEMENT && depth < d) {
          break;
        }
      }
      if (before >= 0) {
        out.set(before, new Para(type, attrs, runs, dual));
      }
    }

    private TextRun text() throws XMLStreamException, ScriptFormatException {
      String style = r.getAttributeValue(null, "Style");
      String s = style == null ? "" : style.toLowerCase(Locale.ROOT);
      StringBuilder b = new StringBuilder();
      int d = depth;
      while (r.hasNext()) {
        int ev = next();
        if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA || ev == XMLStreamConstants.SPACE) {
          b.append(r.getText());
        } else if (ev == XMLStreamConstants.END_ELEMENT && depth < d) {
          break;
        }
      }
      return new TextRun(b.toString(), s.contains("bold"), s.contains("italic"), s.contains("underline"));
    }
  }

  // ---- paragraphs to elements

  private static List<ScreenplayElement> elements(List<Para> paras) {
    List<ScreenplayElement> out = new ArrayList<>();
    int lastDual = -1;
    for (Para p : paras) {
      if (p.type().equals("PageBreak")) {
        out.add(new PageBreak(SourceRange.NONE));
        continue;
      }
      if ("Yes".equals(p.attrs().get("StartsNewPage")) && !out.isEmpty()) {
        out.add(new PageBreak(SourceRange.NONE));
      }
      String text = InlineText.toFountain(p.runs());
      String plain = p.plain();
      SourceRange n = SourceRange.NONE;
      boolean centered = "Center".equalsIgnoreCase(p.attrs().get("Alignment"));
      switch (p.type()) {
        case "Scene Heading" -> out.add(new SceneHeading(text.strip(), blankToNull(p.attrs().get("Number")), n));
        case "Character" -> {
          String cue = text.strip();
          int paren = cue.indexOf('(');
          String name = (paren < 0 ? cue : cue.substring(0, paren)).strip();
          String ext = paren < 0 ? "" : cue.substring(paren).strip();
          // the second cue of a dual dialogue group is the right side
          boolean dual = p.dualGroup() >= 0 && p.dualGroup() == lastDual;
          lastDual = p.dualGroup();
          out.add(new Character(name, ext, dual, n));
        }
        case "Parenthetical" -> out.add(new ScreenplayElement.Parenthetical(parenthesised(text.strip()), n));
        case "Dialogue" -> out.add(new Dialogue(text, n));
        case "Lyrics" -> out.add(new Lyrics(text.strip(), n));
        case "Transition" -> out.add(new Transition(text.strip(), n));
        case "General" -> {
          String t = plain.strip();
          if (t.startsWith("#") || t.startsWith("= ") || t.startsWith("[[") && t.endsWith("]]")) {
            List<ScreenplayElement> fountain = FountainParser.parse("\n" + t + "\n").elements();
            if (fountain.size() == 1) {
              out.add(fountain.get(0).withRange(n));
              break;
            }
          }
          out.add(centered ? new Centered(text.strip(), n) : new Action(text, n));
        }
        default -> {
          if (plain.isEmpty() && "Yes".equals(p.attrs().get("StartsNewPage"))) {
            break;
          }
          out.add(centered ? new Centered(text.strip(), n) : new Action(text, n));
        }
      }
    }
    return out;
  }

  private static String parenthesised(String t) {
    return t.startsWith("(") ? t : "(" + t + ")";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /**
   * Title page entries: by the {@code FountainKey} attribute Roomtone writes, else guessed from a
   * Final Draft layout: the first centred line is the title, "Written by" a credit, other
   * centred lines authors, left lines contact or (with digits) the draft date, right lines notes.
   */
  private static List<TitleField> titleFields(List<Para> paras) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    boolean sawTitle = false;
    for (Para p : paras) {
      String text = InlineText.toFountain(p.runs()).strip();
      String key = p.attrs().get("FountainKey");
      if (key == null) {
        if (text.isEmpty()) {
          continue;
        }
        String align = p.attrs().getOrDefault("Alignment", "Left");
        String plain = p.plain().strip().toLowerCase(Locale.ROOT);
        if (align.equalsIgnoreCase("Center")) {
          key = !sawTitle ? "Title" : plain.matches("(written )?by|story by|teleplay by|screenplay by") ? "Credit" : "Author";
          sawTitle = true;
        } else if (align.equalsIgnoreCase("Right")) {
          key = "Notes";
        } else {
          key = DATE_LIKE.matcher(plain).matches() && !plain.contains("@") && plain.length() < 40
              && !fields.containsKey("Draft date") ? "Draft date" : "Contact";
        }
      }
      fields.computeIfAbsent(key, k -> new ArrayList<>());
      if (!text.isEmpty()) {
        fields.get(key).add(text);
      }
    }
    List<TitleField> out = new ArrayList<>();
    fields.forEach((k, v) -> out.add(new TitleField(k, v)));
    return out;
  }
}
