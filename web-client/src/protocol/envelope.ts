import { create, fromBinary, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import {
  ClientMessageSchema,
  ServerMessageSchema,
  Role,
  type ClientMessage,
  type ServerMessage,
} from '../gen/roomtone/v1/room_pb';
import { ErrorCode, type Error as ServerErrorMessage } from '../gen/roomtone/v1/errors_pb';

/** The body of a frame, as the generated oneof describes it (nested messages as plain objects). */
export type ClientBody = NonNullable<MessageInitShape<typeof ClientMessageSchema>['body']>;
export type ServerBody = NonNullable<MessageInitShape<typeof ServerMessageSchema>['body']>;

export function encodeClient(requestId: bigint, body: ClientBody): Uint8Array {
  return toBinary(ClientMessageSchema, create(ClientMessageSchema, { requestId, body }));
}

export function decodeServer(bytes: Uint8Array): ServerMessage {
  return fromBinary(ServerMessageSchema, bytes);
}

/** Used by tests (and a fake server) to speak the other side of the protocol. */
export function encodeServer(requestId: bigint, body: ServerBody): Uint8Array {
  return toBinary(ServerMessageSchema, create(ServerMessageSchema, { requestId, body }));
}

export function decodeClient(bytes: Uint8Array): ClientMessage {
  return fromBinary(ClientMessageSchema, bytes);
}

export function roleName(role: Role): 'viewer' | 'writer' | 'showrunner' | 'unknown' {
  switch (role) {
    case Role.VIEWER: return 'viewer';
    case Role.WRITER: return 'writer';
    case Role.SHOWRUNNER: return 'showrunner';
    default: return 'unknown';
  }
}

/** An error as the user reads it: a title from the code, the server's own sentence as detail. */
export interface ReadableError {
  code: string;
  title: string;
  detail: string;
  fatal: boolean;
}

const TITLES: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.BAD_FRAME]: 'The server could not read a message',
  [ErrorCode.TOO_LARGE]: 'Too large',
  [ErrorCode.INVALID_UPDATE]: 'A change was refused',
  [ErrorCode.FORBIDDEN]: 'Not allowed',
  [ErrorCode.UNKNOWN_ROOM]: 'No such room',
  [ErrorCode.UNAUTHENTICATED]: 'Not signed in to this room',
  [ErrorCode.INTERNAL]: 'Server error',
  [ErrorCode.RATE_LIMITED]: 'Slow down',
  [ErrorCode.LIMIT_REACHED]: 'Limit reached',
  [ErrorCode.SLOW_CONSUMER]: 'Connection fell behind',
  [ErrorCode.RESYNC]: 'Reconnecting',
  [ErrorCode.PROTOCOL]: 'Protocol error',
  [ErrorCode.NOT_FOUND]: 'Not found',
};

export function readable(error: ServerErrorMessage): ReadableError {
  const code = ErrorCode[error.code] ?? `CODE_${error.code}`;
  return {
    code,
    title: TITLES[error.code] ?? 'Server error',
    detail: error.message || `The server refused the request (${code}).`,
    fatal: error.fatal,
  };
}

export { ErrorCode, Role };
