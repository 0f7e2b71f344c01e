import * as Y from 'yjs';
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import type { AiJobEvent, Roster, Suggestion, Welcome } from '../gen/roomtone/v1/room_pb';
import type { AiRequest } from '../gen/roomtone/v1/room_pb';
import { decodeServer, encodeClient, readable, type ClientBody, type ReadableError } from './envelope';

/** What the room connection needs from a WebSocket; a fake one stands in for it in tests. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/**
 * connecting: socket opening · handshake: Hello sent, waiting for Welcome · syncing: documents
 * being exchanged · live: in sync, edits flow · offline: lost, will reconnect · closed: the server
 * refused us for good (the error says why), or the page left.
 */
export type ConnectionState = 'connecting' | 'handshake' | 'syncing' | 'live' | 'offline' | 'closed';

export interface RoomConnectionEvents {
  state?(state: ConnectionState): void;
  welcome?(welcome: Welcome): void;
  roster?(roster: Roster): void;
  error?(error: ReadableError, requestId: bigint): void;
  aiJob?(event: AiJobEvent, requestId: bigint): void;
  /** The server accepted an AI request and names the job it started. */
  jobAccepted?(jobId: string, requestId: bigint): void;
  suggestion?(suggestion: Suggestion): void;
  /** Document updates sent and not yet acknowledged (shown as "saving"). */
  pending?(count: number): void;
}

export interface RoomConnectionOptions {
  url: string;
  token: string;
  doc: Y.Doc;
  awareness: Awareness;
  createSocket: (url: string) => SocketLike;
  events?: RoomConnectionEvents;
  /** Reconnect after a non-fatal close (default true). */
  reconnect?: boolean;
  schedule?: (fn: () => void, ms: number) => unknown;
  cancel?: (handle: unknown) => void;
  clientName?: string;
}

const OPEN = 1;

/**
 * The room WebSocket: Protobuf envelopes around y-protocols payloads. Yjs sync (state vector,
 * missing updates) and awareness updates travel as bytes inside the envelopes.
 *
 * Local edits are only sent one by one once this side has answered the server's sync step 1: that
 * answer carries everything the server lacks, including all edits made while offline, so nothing
 * is lost and nothing is sent twice in a way that matters (Yjs updates are idempotent).
 */
export class RoomConnection {
  state: ConnectionState = 'offline';
  welcome: Welcome | null = null;
  private socket: SocketLike | null = null;
  private nextRequest = 1n;
  private readonly unacked = new Set<bigint>();
  /** A local edit the server has not acknowledged yet, across reconnects (unacked is per socket). */
  private unconfirmed = false;
  private outboundReady = false;
  private attempts = 0;
  private retry: unknown = null;
  private stopped = false;
  private paused = false;
  private readonly events: RoomConnectionEvents;
  private readonly schedule: (fn: () => void, ms: number) => unknown;
  private readonly cancel: (handle: unknown) => void;

  constructor(private readonly options: RoomConnectionOptions) {
    this.events = options.events ?? {};
    this.schedule = options.schedule ?? ((fn, ms) => setTimeout(fn, ms));
    this.cancel = options.cancel ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    options.doc.on('update', this.onDocUpdate);
    options.awareness.on('update', this.onAwarenessUpdate);
  }

  connect(): void {
    if (this.stopped || this.paused || this.socket) return;
    this.setState('connecting');
    const socket = this.options.createSocket(this.options.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.setState('handshake');
      this.sendRaw(0n, {
        case: 'hello',
        value: { token: this.options.token, client: this.options.clientName ?? 'roomtone-web', protocolVersion: 1 },
      });
    };
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      const data = ev.data;
      if (!(data instanceof ArrayBuffer) && !(data instanceof Uint8Array)) {
        this.events.error?.({ code: 'BAD_FRAME', title: 'Unexpected message', detail: 'The server sent a text frame.', fatal: false }, 0n);
        return;
      }
      this.onFrame(data instanceof Uint8Array ? data : new Uint8Array(data));
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.onClosed();
    };
    socket.onerror = () => {
      // a close event follows; that is where reconnecting is decided
    };
  }

  /** Leave for good (page closed). */
  destroy(): void {
    this.stopped = true;
    this.dropSocket();
    this.options.doc.off('update', this.onDocUpdate);
    this.options.awareness.off('update', this.onAwarenessUpdate);
    this.setState('closed');
  }

  /** The browser lost the network: stop trying until it is back. */
  pause(): void {
    this.paused = true;
    this.dropSocket();
    if (!this.stopped) this.setState('offline');
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.attempts = 0;
    this.connect();
  }

  get pendingUpdates(): number {
    return this.unacked.size;
  }

  /**
   * Whether this browser holds edits the server has not acknowledged: sent and unanswered, made
   * offline, or sent on a connection that dropped before the answer. Closing the page now would
   * lose them.
   */
  get hasUnconfirmedEdits(): boolean {
    return this.unconfirmed;
  }

  requestAi(request: Omit<AiRequest, '$typeName' | '$unknown'>): bigint {
    return this.send({ case: 'aiRequest', value: request });
  }

  cancelAi(jobId: string): bigint {
    return this.send({ case: 'aiCancel', value: { jobId } });
  }

  decide(suggestionId: string, approve: boolean, editedText = ''): bigint {
    return this.send({ case: 'decision', value: { suggestionId, approve, editedText } });
  }

  /** Sends a message; returns its request id, or 0 when not connected (the caller says so). */
  send(body: ClientBody): bigint {
    if (!this.socket || this.socket.readyState !== OPEN || !this.welcome) return 0n;
    const id = this.nextRequest++;
    this.sendRaw(id, body);
    return id;
  }

  private sendRaw(requestId: bigint, body: ClientBody): void {
    this.socket?.send(encodeClient(requestId, body));
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.events.state?.(state);
  }

  private onFrame(bytes: Uint8Array): void {
    let msg;
    try {
      msg = decodeServer(bytes);
    } catch (e) {
      this.events.error?.({ code: 'BAD_FRAME', title: 'Unreadable message', detail: `A message from the server could not be decoded: ${String(e)}`, fatal: false }, 0n);
      return;
    }
    const { doc, awareness } = this.options;
    const body = msg.body;
    switch (body.case) {
      case 'welcome':
        this.welcome = body.value;
        this.attempts = 0;
        this.setState('syncing');
        this.events.welcome?.(body.value);
        if (body.value.roster) this.events.roster?.(body.value.roster);
        if (awareness.getLocalState() !== null) {
          this.sendRaw(0n, { case: 'awareness', value: { update: encodeAwarenessUpdate(awareness, [doc.clientID]) } });
        }
        break;
      case 'syncStep1': {
        // answer with everything the server lacks (offline edits included), then ask for ours
        const diff = Y.encodeStateAsUpdate(doc, body.value.stateVector);
        this.trackSend({ case: 'syncStep2', value: { update: diff } });
        this.outboundReady = true;
        this.sendRaw(this.nextRequest++, { case: 'syncStep1', value: { stateVector: Y.encodeStateVector(doc) } });
        break;
      }
      case 'syncStep2':
        Y.applyUpdate(doc, body.value.update, this);
        if (this.state === 'syncing' && this.outboundReady) this.setState('live');
        break;
      case 'update':
        Y.applyUpdate(doc, body.value.update, this);
        break;
      case 'awareness':
        applyAwarenessUpdate(awareness, body.value.update, this);
        break;
      case 'roster':
        this.events.roster?.(body.value);
        break;
      case 'ack':
        if (this.unacked.delete(msg.requestId)) {
          // every send since the last handshake carried all earlier edits (its sync step 2 did)
          if (this.unacked.size === 0) this.unconfirmed = false;
          this.events.pending?.(this.unacked.size);
        }
        if (body.value.jobId) this.events.jobAccepted?.(body.value.jobId, msg.requestId);
        break;
      case 'error': {
        const error = readable(body.value);
        if (this.unacked.delete(msg.requestId)) this.events.pending?.(this.unacked.size);
        if (error.code === 'RATE_LIMITED' || error.code === 'SLOW_CONSUMER' || error.code === 'RESYNC') {
          // the server dropped messages, maybe edits (or lost this connection's place, RESYNC):
          // a fresh handshake's sync step 2 carries whatever it lacks, so reconnect instead of
          // carrying on diverged
          this.resync();
          return;
        }
        this.events.error?.(error, msg.requestId);
        if (error.fatal) {
          this.stopped = true;
          this.dropSocket();
          this.setState('closed');
        }
        break;
      }
      case 'pong':
        break;
      case 'aiJob':
        this.events.aiJob?.(body.value, msg.requestId);
        break;
      case 'suggestion':
        if (body.value.suggestion) this.events.suggestion?.(body.value.suggestion);
        break;
      default:
        break;
    }
  }

  private trackSend(body: ClientBody): void {
    const id = this.nextRequest++;
    this.unacked.add(id);
    this.events.pending?.(this.unacked.size);
    this.sendRaw(id, body);
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this) return;
    this.unconfirmed = true;
    if (!this.outboundReady || !this.socket || this.socket.readyState !== OPEN) return;
    this.trackSend({ case: 'update', value: { update } });
  };

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin === this || !this.welcome || !this.socket || this.socket.readyState !== OPEN) return;
    const changed = change.added.concat(change.updated, change.removed);
    this.sendRaw(0n, { case: 'awareness', value: { update: encodeAwarenessUpdate(this.options.awareness, changed) } });
  };

  private dropSocket(): void {
    if (this.retry !== null) {
      this.cancel(this.retry);
      this.retry = null;
    }
    const socket = this.socket;
    this.resetSession();
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close(1000, 'leaving');
      } catch {
        // already closed
      }
    }
  }

  private resetSession(): void {
    this.socket = null;
    this.welcome = null;
    this.outboundReady = false;
    if (this.unacked.size) {
      // unacknowledged edits are still in the local document; the next sync step 2 carries them
      this.unacked.clear();
      this.events.pending?.(0);
    }
    const { awareness, doc } = this.options;
    const others = [...awareness.getStates().keys()].filter((id) => id !== doc.clientID);
    if (others.length) removeAwarenessStates(awareness, others, this);
  }

  private resync(): void {
    this.dropSocket();
    this.setState('offline');
    this.attempts = 0;
    this.retry = this.schedule(() => {
      this.retry = null;
      this.connect();
    }, 250);
  }

  private onClosed(): void {
    this.resetSession();
    if (this.stopped) return;
    this.setState('offline');
    if (this.paused || this.options.reconnect === false) return;
    const delay = Math.min(10_000, 500 * 2 ** this.attempts) * (0.75 + Math.random() * 0.5);
    this.attempts++;
    this.retry = this.schedule(() => {
      this.retry = null;
      this.connect();
    }, delay);
  }
}
