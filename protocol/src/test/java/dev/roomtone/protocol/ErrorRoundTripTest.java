package dev.roomtone.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.roomtone.protocol.v1.Error;
import dev.roomtone.protocol.v1.ErrorCode;
import org.junit.jupiter.api.Test;

class ErrorRoundTripTest {

  @Test
  void errorSurvivesEncodingToBytesAndBack() throws InvalidProtocolBufferException {
    Error sent = Error.newBuilder()
        .setCode(ErrorCode.INVALID_UPDATE)
        .setMessage("update refers to an unknown item")
        .build();

    Error received = Error.parseFrom(sent.toByteArray());

    assertEquals(sent, received);
    assertEquals(ErrorCode.INVALID_UPDATE, received.getCode());
    assertEquals("update refers to an unknown item", received.getMessage());
  }

  @Test
  void codeNumbersAreStableOnTheWire() {
    // Clients compiled against older schemas decode by number: renumbering would break them.
    assertEquals(0, ErrorCode.UNSPECIFIED.getNumber());
    assertEquals(1, ErrorCode.BAD_FRAME.getNumber());
    assertEquals(2, ErrorCode.TOO_LARGE.getNumber());
    assertEquals(3, ErrorCode.INVALID_UPDATE.getNumber());
    assertEquals(4, ErrorCode.FORBIDDEN.getNumber());
    assertEquals(5, ErrorCode.UNKNOWN_ROOM.getNumber());
    assertEquals(6, ErrorCode.UNAUTHENTICATED.getNumber());
    assertEquals(7, ErrorCode.INTERNAL.getNumber());
  }
}
