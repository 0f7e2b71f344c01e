package dev.roomtone.actors.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RoomNamesTest {

  @Test
  void namesInAnyScriptAreKeptWithoutTheirSurroundingSpace() {
    assertEquals("Maya", RoomNames.clean("  Maya \t"));
    assertEquals("Zoë O'Brien-Łukasz", RoomNames.clean("Zoë O'Brien-Łukasz"));
    assertEquals("玛雅", RoomNames.clean("玛雅"));
    // Devanagari and emoji sequences need the zero-width joiners inside a word
    assertEquals("क्‍ष", RoomNames.clean("क्\u200Dष"));
    assertEquals("👩\u200D💻 Ben", RoomNames.clean("👩\u200D💻 Ben"));
    assertEquals("x".repeat(80), RoomNames.clean("x".repeat(80)));
  }

  @Test
  void namesThatLookEmptyOrLikeSomeoneElsesAreRefused() {
    assertNull(RoomNames.clean(null));
    assertNull(RoomNames.clean("   "));
    assertNull(RoomNames.clean("x".repeat(81)));
    assertNull(RoomNames.clean("Ben\nShowrunner"), "a line break");
    assertNull(RoomNames.clean("Ben\u0007"), "a control character");
    assertNull(RoomNames.clean("\u200B"), "a zero-width space alone");
    assertNull(RoomNames.clean("Be\u200Bn"), "a zero-width space inside");
    assertNull(RoomNames.clean("\u200D\u200C"), "nothing but joiners");
    assertNull(RoomNames.clean("\u202Eevil"), "a right-to-left override");
    assertNull(RoomNames.clean("Ben\u2066"), "a direction isolate");
    assertNull(RoomNames.clean("Ben\uFEFF"), "a byte-order mark");
    assertNull(RoomNames.clean("Ben\u2028Maya"), "a line separator");
    assertNull(RoomNames.clean("Ben\uE000"), "a private-use character");
    assertNull(RoomNames.clean("Ben\uD800"), "half a surrogate pair");
  }
}
