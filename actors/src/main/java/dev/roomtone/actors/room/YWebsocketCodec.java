package dev.roomtone.actors.room;

import dev.roomtone.protocol.v1.AiJobEvent;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.Roster;
import dev.roomtone.protocol.v1.SuggestionEvent;
import dev.roomtone.protocol.v1.Welcome;
import dev.roomtone.script.crdt.SyncMessage;
import dev.roomtone.script.crdt.YWebsocketMessage;

/**
 * Frames of the plain y-websocket protocol, for any Yjs editor: sync and awareness only. Errors
 * travel as y-protocols "permission denied" messages, the one refusal such clients understand.
 */
public final class YWebsocketCodec implements SessionCodec {

  public static final YWebsocketCodec INSTANCE = new YWebsocketCodec();

  private YWebsocketCodec() {
  }

  @Override
  public String name() {
    return "y-websocket";
  }

  @Override
  public byte[] welcome(Welcome welcome) {
    return null;
  }

  @Override
  public byte[] roster(Roster roster) {
    return null;
  }

  @Override
  public byte[] syncStep1(byte[] stateVector, long requestId) {
    return new YWebsocketMessage.Sync(new SyncMessage.Step1(stateVector)).encode();
  }

  @Override
  public byte[] syncStep2(byte[] update, long requestId) {
    return new YWebsocketMessage.Sync(new SyncMessage.Step2(update)).encode();
  }

  @Override
  public byte[] update(byte[] update) {
    return new YWebsocketMessage.Sync(new SyncMessage.Update(update)).encode();
  }

  @Override
  public byte[] awareness(byte[] update) {
    return new YWebsocketMessage.Awareness(update).encode();
  }

  @Override
  public byte[] ack(long requestId) {
    return null;
  }

  @Override
  public byte[] error(ErrorCode code, String message, long requestId, boolean fatal) {
    return new YWebsocketMessage.PermissionDenied(code.name().toLowerCase(java.util.Locale.ROOT) + ": " + message).encode();
  }

  @Override
  public byte[] pong(long nonce) {
    return null;
  }

  @Override
  public byte[] aiJob(AiJobEvent event) {
    return null;
  }

  @Override
  public byte[] suggestion(SuggestionEvent event) {
    return null;
  }
}
