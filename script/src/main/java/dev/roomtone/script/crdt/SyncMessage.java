package dev.roomtone.script.crdt;

/**
 * A y-protocols sync message: step 1 (a state vector), step 2 (the missing updates) or an update.
 * This is the payload that y-websocket and other Yjs providers exchange to sync a document.
 */
public sealed interface SyncMessage {

  int STEP1 = 0;
  int STEP2 = 1;
  int UPDATE = 2;

  /** "This is what I have": an encoded state vector. */
  record Step1(byte[] stateVector) implements SyncMessage {
  }

  /** The answer to a step 1: everything the asker lacks, as one update. */
  record Step2(byte[] update) implements SyncMessage {
  }

  /** An update made after the initial sync. */
  record Update(byte[] update) implements SyncMessage {
  }

  /** Writes this message as y-protocols does ({@code varUint type, varUint8Array payload}). */
  default byte[] encode() {
    ByteWriter w = new ByteWriter(16 + payload().length);
    writeTo(w);
    return w.toByteArray();
  }

  default byte[] payload() {
    return switch (this) {
      case Step1 s -> s.stateVector();
      case Step2 s -> s.update();
      case Update u -> u.update();
    };
  }

  default int type() {
    return switch (this) {
      case Step1 s -> STEP1;
      case Step2 s -> STEP2;
      case Update u -> UPDATE;
    };
  }

  /** Appends the message to a larger frame (e.g. a y-websocket message). */
  default void writeTo(ByteWriter w) {
    w.writeVarUint(type());
    w.writeVarBytes(payload());
  }

  /** Reads one sync message; throws {@link MalformedUpdateException} on bad input (the payload is not validated here). */
  static SyncMessage read(ByteReader r) {
    int start = r.position();
    long type = r.readVarUint();
    byte[] payload = r.readVarBytes();
    if (type == STEP1) {
      return new Step1(payload);
    }
    if (type == STEP2) {
      return new Step2(payload);
    }
    if (type == UPDATE) {
      return new Update(payload);
    }
    throw new MalformedUpdateException("unknown sync message type " + type, start);
  }
}
