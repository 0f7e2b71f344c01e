package dev.roomtone.actors.room;

/**
 * The rule for the names people see: a room's name and a member's display name. A name is shown in
 * every member's list and on every cursor, so characters that draw nothing or reorder the text
 * around them (zero-width spaces, direction overrides, other format characters) are refused: they
 * would let a name look empty or like someone else's.
 */
public final class RoomNames {
  public static final int MAX_LENGTH = 80;

  /** What a refused name is told, after what it names, e.g. "A display name". */
  public static final String RULE = "must be 1 to " + MAX_LENGTH
      + " characters, with no control characters and none that draw nothing or change the text's direction.";

  private RoomNames() {
  }

  /** The name with surrounding white space removed, or null when it breaks the rule. */
  public static String clean(String name) {
    String n = name == null ? "" : name.strip();
    if (n.isEmpty() || n.length() > MAX_LENGTH || !n.codePoints().allMatch(RoomNames::allowed)
        || n.codePoints().allMatch(cp -> Character.isWhitespace(cp) || isJoiner(cp))) {
      return null;
    }
    return n;
  }

  private static boolean allowed(int cp) {
    return switch (Character.getType(cp)) {
      // the joiners are format characters that scripts such as Devanagari and Persian, and emoji
      // sequences, need inside a word; a name of nothing but joiners is refused above
      case Character.FORMAT -> isJoiner(cp);
      case Character.CONTROL, Character.UNASSIGNED, Character.SURROGATE, Character.PRIVATE_USE,
           Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
      default -> true;
    };
  }

  private static boolean isJoiner(int cp) {
    return cp == 0x200C || cp == 0x200D;
  }
}
