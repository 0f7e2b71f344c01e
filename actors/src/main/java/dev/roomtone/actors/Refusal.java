package dev.roomtone.actors;

import dev.roomtone.protocol.v1.ErrorCode;

/** Why a request to a room was not carried out: a protocol error code and a message for the user. */
public record Refusal(ErrorCode code, String message) {

  public static Refusal forbidden(String message) {
    return new Refusal(ErrorCode.FORBIDDEN, message);
  }

  public static Refusal notFound(String message) {
    return new Refusal(ErrorCode.NOT_FOUND, message);
  }
}
