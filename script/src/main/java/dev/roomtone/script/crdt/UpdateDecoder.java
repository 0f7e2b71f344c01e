package dev.roomtone.script.crdt;

/** Reads the fields of a Yjs v1 update; every malformed field is reported with its byte offset. */
final class UpdateDecoder {

  final ByteReader reader;

  UpdateDecoder(byte[] update) {
    this.reader = new ByteReader(update);
  }

  MalformedUpdateException error(String problem) {
    return reader.error(problem);
  }

  ID readID() {
    long client = readClient();
    int clock = reader.readVarUintInt("clock");
    return new ID(client, clock);
  }

  long readClient() {
    return reader.readVarUint();
  }

  int readInfo() {
    return reader.readUint8();
  }

  String readString() {
    return reader.readVarString();
  }

  boolean readParentInfo() {
    int start = reader.position();
    long v = reader.readVarUint();
    if (v > 1) {
      // Yjs treats anything but 1 as "parent is an item"; only 0 is ever written
      throw new MalformedUpdateException("parent info must be 0 or 1, got " + v, start);
    }
    return v == 1;
  }

  int readTypeRef() {
    return reader.readVarUintInt("type reference");
  }

  int readLen(String what) {
    return reader.readVarUintInt(what);
  }

  Object readAny() {
    return reader.readAny();
  }

  byte[] readBuf() {
    return reader.readVarBytes();
  }

  Object readJSON() {
    int start = reader.position();
    String s = reader.readVarString();
    return parseJson(s, start);
  }

  Object parseJson(String s) {
    return parseJson(s, reader.position());
  }

  private Object parseJson(String s, int at) {
    try {
      return JsJson.parse(s);
    } catch (IllegalArgumentException e) {
      throw new MalformedUpdateException(e.getMessage(), at);
    }
  }

  String readKey() {
    return reader.readVarString();
  }
}
