package dev.roomtone.script.crdt;

/**
 * One frame of the y-websocket protocol, as spoken by the official y-websocket provider: a sync
 * message, an awareness update, an auth message or an awareness query.
 */
public sealed interface YWebsocketMessage {

  int SYNC = 0;
  int AWARENESS = 1;
  int AUTH = 2;
  int QUERY_AWARENESS = 3;

  record Sync(SyncMessage message) implements YWebsocketMessage {
  }

  record Awareness(byte[] update) implements YWebsocketMessage {
  }

  /** y-protocols auth: the only message is "permission denied", with a reason. */
  record PermissionDenied(String reason) implements YWebsocketMessage {
  }

  record QueryAwareness() implements YWebsocketMessage {
  }

  default byte[] encode() {
    ByteWriter w = new ByteWriter(32);
    switch (this) {
      case Sync s -> {
        w.writeVarUint(SYNC);
        s.message().writeTo(w);
      }
      case Awareness a -> {
        w.writeVarUint(AWARENESS);
        w.writeVarBytes(a.update());
      }
      case PermissionDenied d -> {
        w.writeVarUint(AUTH);
        w.writeVarUint(0);
        w.writeVarString(d.reason());
      }
      case QueryAwareness q -> w.writeVarUint(QUERY_AWARENESS);
    }
    return w.toByteArray();
  }

  /** Decodes one frame; malformed input throws {@link MalformedUpdateException}. */
  static YWebsocketMessage decode(byte[] frame) {
    ByteReader r = new ByteReader(frame);
    int start = r.position();
    long type = r.readVarUint();
    YWebsocketMessage m;
    if (type == SYNC) {
      m = new Sync(SyncMessage.read(r));
    } else if (type == AWARENESS) {
      m = new Awareness(r.readVarBytes());
    } else if (type == AUTH) {
      long kind = r.readVarUint();
      if (kind != 0) {
        throw new MalformedUpdateException("unknown auth message " + kind, start);
      }
      m = new PermissionDenied(r.readVarString());
    } else if (type == QUERY_AWARENESS) {
      m = new QueryAwareness();
    } else {
      throw new MalformedUpdateException("unknown y-websocket message type " + type, start);
    }
    if (r.hasContent()) {
      throw r.error(r.remaining() + " unexpected bytes after the message");
    }
    return m;
  }
}
