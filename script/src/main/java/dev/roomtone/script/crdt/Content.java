package dev.roomtone.script.crdt;

import java.util.List;

/** What an item holds. The reference numbers are those of the Yjs update format. */
sealed interface Content permits ContentDeleted, ContentJson, ContentBinary, ContentString, ContentEmbed,
    ContentFormat, ContentType, ContentAny, ContentDoc {

  int length();

  /** Whether the content counts towards its type's length and index positions (formats do not). */
  boolean countable();

  /** The values a reader sees, one per unit of length (empty for deleted and format content). */
  List<Object> values();

  Content copy();

  /** Keeps the first {@code offset} units here and returns the rest. */
  Content splice(int offset);

  boolean mergeWith(Content right);

  default void integrate(Transaction txn, Item item) {
  }

  default void delete(Transaction txn) {
  }

  default void gc(StructStore store) {
  }

  void write(UpdateEncoder encoder, int offset);

  int ref();

  /** Reads the content with reference number {@code ref} (1 to 9). */
  static Content read(UpdateDecoder decoder, int ref) {
    return switch (ref) {
      case ContentDeleted.REF -> new ContentDeleted(decoder.readLen("deleted length"));
      case ContentJson.REF -> ContentJson.read(decoder);
      case ContentBinary.REF -> new ContentBinary(decoder.readBuf());
      case ContentString.REF -> new ContentString(decoder.readString());
      case ContentEmbed.REF -> new ContentEmbed(decoder.readJSON());
      case ContentFormat.REF -> new ContentFormat(decoder.readKey(), decoder.readJSON());
      case ContentType.REF -> new ContentType(YType.read(decoder));
      case ContentAny.REF -> ContentAny.read(decoder);
      case ContentDoc.REF -> ContentDoc.read(decoder);
      default -> throw decoder.error("unknown content type " + ref);
    };
  }
}
