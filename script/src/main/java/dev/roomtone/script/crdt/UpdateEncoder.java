package dev.roomtone.script.crdt;

/** Writes the parts of a Yjs v1 update (structs and delete set) in the field order Yjs uses. */
final class UpdateEncoder {

  final ByteWriter rest;

  UpdateEncoder() {
    this(new ByteWriter());
  }

  UpdateEncoder(ByteWriter rest) {
    this.rest = rest;
  }

  byte[] toByteArray() {
    return rest.toByteArray();
  }

  void writeLeftID(long client, int clock) {
    rest.writeVarUint(client);
    rest.writeVarUint(clock);
  }

  void writeRightID(long client, int clock) {
    rest.writeVarUint(client);
    rest.writeVarUint(clock);
  }

  void writeClient(long client) {
    rest.writeVarUint(client);
  }

  void writeInfo(int info) {
    rest.writeUint8(info);
  }

  void writeString(String s) {
    rest.writeVarString(s);
  }

  void writeString(CharSequence s) {
    rest.writeVarString(s);
  }

  void writeParentInfo(boolean isYKey) {
    rest.writeVarUint(isYKey ? 1 : 0);
  }

  void writeTypeRef(int ref) {
    rest.writeVarUint(ref);
  }

  void writeLen(long len) {
    rest.writeVarUint(len);
  }

  void writeAny(Object any) {
    rest.writeAny(any);
  }

  void writeBuf(byte[] buf) {
    rest.writeVarBytes(buf);
  }

  void writeJSON(Object value) {
    rest.writeVarString(JsJson.stringify(value));
  }

  void writeKey(String key) {
    rest.writeVarString(key);
  }

  void writeDsClock(long clock) {
    rest.writeVarUint(clock);
  }

  void writeDsLen(long len) {
    rest.writeVarUint(len);
  }
}
