package dev.roomtone.actors.room;

import dev.roomtone.protocol.v1.AiJobEvent;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.Roster;
import dev.roomtone.protocol.v1.SuggestionEvent;
import dev.roomtone.protocol.v1.Welcome;

/**
 * How frames for one kind of connection are written. The room encodes each broadcast once per codec
 * in use, not once per recipient. A codec answers null for a message its protocol cannot carry.
 */
public interface SessionCodec {

  /** Short name for logs and metrics ("roomtone", "y-websocket"). */
  String name();

  byte[] welcome(Welcome welcome);

  byte[] roster(Roster roster);

  byte[] syncStep1(byte[] stateVector, long requestId);

  byte[] syncStep2(byte[] update, long requestId);

  byte[] update(byte[] update);

  byte[] awareness(byte[] update);

  byte[] ack(long requestId);

  /** The acknowledgement of an AI request, naming the job it started. */
  default byte[] ackJob(long requestId, String jobId) {
    return ack(requestId);
  }

  byte[] error(ErrorCode code, String message, long requestId, boolean fatal);

  byte[] pong(long nonce);

  byte[] aiJob(AiJobEvent event);

  byte[] suggestion(SuggestionEvent event);
}
