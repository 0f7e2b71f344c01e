package dev.roomtone.actors.persistence;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.roomtone.protocol.v1.events.DirectoryEvent;
import dev.roomtone.protocol.v1.events.DirectorySnapshot;
import dev.roomtone.protocol.v1.events.RoomEvent;
import dev.roomtone.protocol.v1.events.RoomSnapshot;
import java.io.NotSerializableException;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Writes rooms' events and snapshots as their Protobuf bytes (never Java serialization), tagged
 * with the message name so that later versions can still read them.
 */
public final class ProtobufEventSerializer extends SerializerWithStringManifest {

  private static final String ROOM_EVENT = "RoomEvent";
  private static final String ROOM_SNAPSHOT = "RoomSnapshot";
  private static final String DIRECTORY_EVENT = "DirectoryEvent";
  private static final String DIRECTORY_SNAPSHOT = "DirectorySnapshot";

  @Override
  public int identifier() {
    return 715_301;
  }

  @Override
  public String manifest(Object o) {
    return switch (o) {
      case RoomEvent e -> ROOM_EVENT;
      case RoomSnapshot s -> ROOM_SNAPSHOT;
      case DirectoryEvent e -> DIRECTORY_EVENT;
      case DirectorySnapshot s -> DIRECTORY_SNAPSHOT;
      default -> throw new IllegalArgumentException("not a Roomtone event: " + o.getClass().getName());
    };
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof MessageLite m) {
      return m.toByteArray();
    }
    throw new IllegalArgumentException("not a Protobuf message: " + o.getClass().getName());
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    try {
      return switch (manifest) {
        case ROOM_EVENT -> RoomEvent.parseFrom(bytes);
        case ROOM_SNAPSHOT -> RoomSnapshot.parseFrom(bytes);
        case DIRECTORY_EVENT -> DirectoryEvent.parseFrom(bytes);
        case DIRECTORY_SNAPSHOT -> DirectorySnapshot.parseFrom(bytes);
        default -> throw new NotSerializableException("unknown manifest " + manifest);
      };
    } catch (InvalidProtocolBufferException e) {
      NotSerializableException ex = new NotSerializableException("corrupt " + manifest + ": " + e.getMessage());
      ex.initCause(e);
      throw ex;
    }
  }
}
