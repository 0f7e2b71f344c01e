package dev.roomtone.actors.room;

import com.google.protobuf.ByteString;
import dev.roomtone.protocol.v1.Ack;
import dev.roomtone.protocol.v1.AiJobEvent;
import dev.roomtone.protocol.v1.AwarenessUpdate;
import dev.roomtone.protocol.v1.DocumentUpdate;
import dev.roomtone.protocol.v1.Error;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.Pong;
import dev.roomtone.protocol.v1.Roster;
import dev.roomtone.protocol.v1.ServerMessage;
import dev.roomtone.protocol.v1.SuggestionEvent;
import dev.roomtone.protocol.v1.SyncStep1;
import dev.roomtone.protocol.v1.SyncStep2;
import dev.roomtone.protocol.v1.Welcome;

/** Frames of Roomtone's own protocol: one {@link ServerMessage} per frame (docs/protocol.md). */
public final class ProtobufCodec implements SessionCodec {

  public static final ProtobufCodec INSTANCE = new ProtobufCodec();

  private ProtobufCodec() {
  }

  @Override
  public String name() {
    return "roomtone";
  }

  private static ServerMessage.Builder msg(long requestId) {
    return ServerMessage.newBuilder().setRequestId(requestId);
  }

  @Override
  public byte[] welcome(Welcome welcome) {
    return msg(0).setWelcome(welcome).build().toByteArray();
  }

  @Override
  public byte[] roster(Roster roster) {
    return msg(0).setRoster(roster).build().toByteArray();
  }

  @Override
  public byte[] syncStep1(byte[] stateVector, long requestId) {
    return msg(requestId).setSyncStep1(SyncStep1.newBuilder().setStateVector(ByteString.copyFrom(stateVector))).build()
        .toByteArray();
  }

  @Override
  public byte[] syncStep2(byte[] update, long requestId) {
    return msg(requestId).setSyncStep2(SyncStep2.newBuilder().setUpdate(ByteString.copyFrom(update))).build().toByteArray();
  }

  @Override
  public byte[] update(byte[] update) {
    return msg(0).setUpdate(DocumentUpdate.newBuilder().setUpdate(ByteString.copyFrom(update))).build().toByteArray();
  }

  @Override
  public byte[] awareness(byte[] update) {
    return msg(0).setAwareness(AwarenessUpdate.newBuilder().setUpdate(ByteString.copyFrom(update))).build().toByteArray();
  }

  @Override
  public byte[] ack(long requestId) {
    return msg(requestId).setAck(Ack.getDefaultInstance()).build().toByteArray();
  }

  @Override
  public byte[] ackJob(long requestId, String jobId) {
    return msg(requestId).setAck(Ack.newBuilder().setJobId(jobId)).build().toByteArray();
  }

  @Override
  public byte[] error(ErrorCode code, String message, long requestId, boolean fatal) {
    return msg(requestId).setError(Error.newBuilder().setCode(code).setMessage(message).setFatal(fatal)).build()
        .toByteArray();
  }

  @Override
  public byte[] pong(long nonce) {
    return msg(0).setPong(Pong.newBuilder().setNonce(nonce)).build().toByteArray();
  }

  @Override
  public byte[] aiJob(AiJobEvent event) {
    return msg(0).setAiJob(event).build().toByteArray();
  }

  @Override
  public byte[] suggestion(SuggestionEvent event) {
    return msg(0).setSuggestion(event).build().toByteArray();
  }
}
