import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { create } from '@bufbuild/protobuf';
import { decodeClient, decodeServer, encodeClient, encodeServer, readable, ErrorCode, Role, type ServerBody } from './envelope';
import { RoomConnection, type ConnectionState, type SocketLike } from './connection';
import { ErrorSchema } from '../gen/roomtone/v1/errors_pb';
import type { ClientMessage } from '../gen/roomtone/v1/room_pb';

describe('envelopes', () => {
  it('round-trip a client Hello and a document update', () => {
    const hello = decodeClient(encodeClient(0n, { case: 'hello', value: { token: 't.o.k', client: 'test', protocolVersion: 1 } }));
    expect(hello.body.case).toBe('hello');
    expect(hello.body.value).toMatchObject({ token: 't.o.k', client: 'test', protocolVersion: 1 });
    const update = decodeClient(encodeClient(42n, { case: 'update', value: { update: new Uint8Array([1, 2, 3]) } }));
    expect(update.requestId).toBe(42n);
    expect(update.body.case === 'update' && [...update.body.value.update]).toEqual([1, 2, 3]);
  });

  it('round-trip an AI request with its anchors', () => {
    const msg = decodeClient(encodeClient(7n, {
      case: 'aiRequest',
      value: { task: 'punch_up', anchorStart: new Uint8Array([9]), anchorEnd: new Uint8Array([8]), instruction: 'colder', model: '', variants: 3 },
    }));
    expect(msg.body.case).toBe('aiRequest');
    expect(msg.body.value).toMatchObject({ task: 'punch_up', instruction: 'colder', variants: 3 });
  });

  it('round-trip a server Welcome and Error', () => {
    const welcome = decodeServer(encodeServer(0n, {
      case: 'welcome',
      value: { roomId: 'r1', roomName: 'Pilot', member: { memberId: 'm1', displayName: 'Maya', role: Role.SHOWRUNNER } },
    }));
    expect(welcome.body.case === 'welcome' && welcome.body.value.member?.role).toBe(Role.SHOWRUNNER);
    const error = decodeServer(encodeServer(5n, { case: 'error', value: { code: ErrorCode.FORBIDDEN, message: 'Viewers cannot edit.', fatal: false } }));
    expect(error.requestId).toBe(5n);
    expect(error.body.case === 'error' && readable(error.body.value)).toEqual({
      code: 'FORBIDDEN', title: 'Not allowed', detail: 'Viewers cannot edit.', fatal: false,
    });
  });

  it('gives an error without a message a readable text naming its code', () => {
    expect(readable(create(ErrorSchema, { code: ErrorCode.RATE_LIMITED })).detail).toContain('RATE_LIMITED');
  });

  it('refuses bytes that are not a server message', () => {
    expect(() => decodeServer(new Uint8Array([0xff, 0xff, 0xff]))).toThrow();
  });
});

/** A socket whose other end is the test: it sees every client frame and answers with server frames. */
class FakeSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  sent: ClientMessage[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string, private readonly peer?: (socket: FakeSocket, msg: ClientMessage) => void) {}
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  send(data: Uint8Array): void {
    const msg = decodeClient(data);
    this.sent.push(msg);
    this.peer?.(this, msg);
  }
  reply(requestId: bigint, body: ServerBody): void {
    this.onmessage?.({ data: encodeServer(requestId, body).slice().buffer });
  }
  close(): void {
    this.closed = true;
    this.readyState = 3;
  }
  /** The server or the network ends the connection. */
  drop(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }
  bodies(): string[] {
    return this.sent.map((m) => m.body.case ?? '');
  }
}

interface Harness {
  conn: RoomConnection;
  doc: Y.Doc;
  awareness: Awareness;
  sockets: FakeSocket[];
  states: ConnectionState[];
  timers: (() => void)[];
  errors: { code: string; detail: string; requestId: bigint }[];
}

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function harness(peer?: (socket: FakeSocket, msg: ClientMessage) => void, clientID?: number): Harness {
  const doc = new Y.Doc();
  if (clientID) doc.clientID = clientID;
  const awareness = new Awareness(doc);
  const h: Harness = { conn: null as unknown as RoomConnection, doc, awareness, sockets: [], states: [], timers: [], errors: [] };
  h.conn = new RoomConnection({
    url: 'ws://room/api/rooms/r1/ws',
    token: 'secret-token',
    doc,
    awareness,
    createSocket: (url) => {
      const s = new FakeSocket(url, peer);
      h.sockets.push(s);
      return s;
    },
    schedule: (fn) => { h.timers.push(fn); return h.timers.length; },
    cancel: () => {},
    events: {
      state: (s) => h.states.push(s),
      error: (e, requestId) => h.errors.push({ code: e.code, detail: e.detail, requestId }),
    },
  });
  cleanups.push(() => { h.conn.destroy(); awareness.destroy(); });
  return h;
}

const welcome = (role = Role.WRITER): ServerBody => ({
  case: 'welcome',
  value: { roomId: 'r1', roomName: 'Pilot', member: { memberId: 'm1', displayName: 'Ben', role }, roster: { present: [] } },
});

describe('handshake', () => {
  it('goes Hello → Welcome → sync both ways → live, and only then sends edits one by one', () => {
    const h = harness();
    h.doc.getText('script').insert(0, 'offline draft');
    h.conn.connect();
    const s = h.sockets[0];
    expect(h.states).toEqual(['connecting']);
    s.open();
    expect(h.states).toEqual(['connecting', 'handshake']);
    expect(s.bodies()).toEqual(['hello']);
    expect(s.sent[0].body.value).toMatchObject({ token: 'secret-token', protocolVersion: 1 });

    s.reply(0n, welcome());
    expect(h.states.at(-1)).toBe('syncing');
    // the server's document has nothing yet: its state vector is empty
    const server = new Y.Doc();
    s.reply(0n, { case: 'syncStep1', value: { stateVector: Y.encodeStateVector(server) } });
    const step2 = s.sent.find((m) => m.body.case === 'syncStep2')!;
    const step1 = s.sent.find((m) => m.body.case === 'syncStep1')!;
    expect(step2 && step1).toBeTruthy();
    // the step 2 carries the edit made before connecting
    Y.applyUpdate(server, step2.body.case === 'syncStep2' ? step2.body.value.update : new Uint8Array());
    expect(server.getText('script').toString()).toBe('offline draft');
    expect(h.states.at(-1)).toBe('syncing');

    server.getText('script').insert(0, 'FADE IN: ');
    const sv = step1.body.case === 'syncStep1' ? step1.body.value.stateVector : new Uint8Array();
    s.reply(step1.requestId, { case: 'syncStep2', value: { update: Y.encodeStateAsUpdate(server, sv) } });
    expect(h.states.at(-1)).toBe('live');
    expect(h.doc.getText('script').toString()).toBe('FADE IN: offline draft');

    h.doc.getText('script').insert(0, '>');
    const update = s.sent.at(-1)!;
    expect(update.body.case).toBe('update');
    expect(update.requestId).toBeGreaterThan(0n);
    expect(h.conn.pendingUpdates).toBe(2); // the step 2 and this update
    s.reply(update.requestId, { case: 'ack', value: {} });
    s.reply(step2.requestId, { case: 'ack', value: {} });
    expect(h.conn.pendingUpdates).toBe(0);
  });

  it('does not echo the server\'s updates back', () => {
    const h = harness();
    h.conn.connect();
    const s = h.sockets[0];
    s.open();
    s.reply(0n, welcome());
    s.reply(0n, { case: 'syncStep1', value: { stateVector: new Uint8Array([0]) } });
    const before = s.sent.length;
    const other = new Y.Doc();
    other.getText('script').insert(0, 'from another writer');
    s.reply(0n, { case: 'update', value: { update: Y.encodeStateAsUpdate(other) } });
    expect(h.doc.getText('script').toString()).toBe('from another writer');
    expect(s.sent.length).toBe(before);
  });

  it('keeps edits made offline and sends them in the next handshake\'s sync step 2', () => {
    const h = harness();
    h.conn.connect();
    let s = h.sockets[0];
    s.open();
    s.reply(0n, welcome());
    s.reply(0n, { case: 'syncStep1', value: { stateVector: new Uint8Array([0]) } });
    s.drop();
    expect(h.states.at(-1)).toBe('offline');
    const sentBefore = s.sent.length;
    h.doc.getText('script').insert(0, 'written on the train');
    expect(s.sent.length).toBe(sentBefore); // nothing goes to a closed socket

    expect(h.timers.length).toBe(1); // a reconnect is scheduled
    h.timers[0]();
    s = h.sockets[1];
    s.open();
    s.reply(0n, welcome());
    s.reply(0n, { case: 'syncStep1', value: { stateVector: new Uint8Array([0]) } });
    const step2 = s.sent.find((m) => m.body.case === 'syncStep2')!;
    const server = new Y.Doc();
    Y.applyUpdate(server, step2.body.case === 'syncStep2' ? step2.body.value.update : new Uint8Array());
    expect(server.getText('script').toString()).toBe('written on the train');
  });

  it('counts an edit as unconfirmed until the server acknowledged it, also across a dropped connection', () => {
    const h = harness();
    h.conn.connect();
    let s = h.sockets[0];
    s.open();
    s.reply(0n, welcome());
    s.reply(0n, { case: 'syncStep1', value: { stateVector: new Uint8Array([0]) } });
    const firstStep2 = s.sent.find((m) => m.body.case === 'syncStep2')!;
    s.reply(firstStep2.requestId, { case: 'ack', value: {} });
    expect(h.conn.hasUnconfirmedEdits).toBe(false);
    // a remote edit is not ours to lose
    const other = new Y.Doc();
    other.getText('script').insert(0, 'theirs ');
    s.reply(0n, { case: 'update', value: { update: Y.encodeStateAsUpdate(other) } });
    expect(h.conn.hasUnconfirmedEdits).toBe(false);

    h.doc.getText('script').insert(0, 'sent, never answered');
    expect(h.conn.hasUnconfirmedEdits).toBe(true);
    s.drop(); // the answer never comes; the socket's own bookkeeping forgets the request
    expect(h.conn.pendingUpdates).toBe(0);
    expect(h.conn.hasUnconfirmedEdits).toBe(true);
    h.doc.getText('script').insert(0, 'offline ');
    h.timers[0]();
    s = h.sockets[1];
    s.open();
    s.reply(0n, welcome());
    s.reply(0n, { case: 'syncStep1', value: { stateVector: new Uint8Array([0]) } });
    h.doc.getText('script').insert(0, '>');
    const step2 = s.sent.find((m) => m.body.case === 'syncStep2')!;
    const update = s.sent.at(-1)!;
    s.reply(step2.requestId, { case: 'ack', value: {} });
    expect(h.conn.hasUnconfirmedEdits).toBe(true); // the last edit is still unanswered
    s.reply(update.requestId, { case: 'ack', value: {} });
    expect(h.conn.hasUnconfirmedEdits).toBe(false);
  });

  it('stops for good on a fatal error and reports it', () => {
    const h = harness();
    h.conn.connect();
    const s = h.sockets[0];
    s.open();
    s.reply(0n, { case: 'error', value: { code: ErrorCode.UNAUTHENTICATED, message: 'You are no longer a member of this room.', fatal: true } });
    expect(h.states.at(-1)).toBe('closed');
    expect(h.errors).toEqual([{ code: 'UNAUTHENTICATED', detail: 'You are no longer a member of this room.', requestId: 0n }]);
    expect(s.closed).toBe(true);
    expect(h.timers.length).toBe(0);
  });

  for (const [code, fatal] of [[ErrorCode.RATE_LIMITED, false], [ErrorCode.SLOW_CONSUMER, true], [ErrorCode.RESYNC, true]] as const) {
    it(`resyncs through a new handshake when the server dropped messages (${ErrorCode[code]})`, () => {
      const h = harness();
      h.conn.connect();
      let s = h.sockets[0];
      s.open();
      s.reply(0n, welcome());
      s.reply(0n, { case: 'syncStep1', value: { stateVector: new Uint8Array([0]) } });
      h.doc.getText('script').insert(0, 'maybe dropped');
      s.reply(0n, { case: 'error', value: { code, message: 'Slow down and resync.', fatal } });
      expect(s.closed).toBe(true);
      expect(h.states.at(-1)).toBe('offline');
      expect(h.timers.length).toBe(1);
      h.timers[0]();
      s = h.sockets[1];
      s.open();
      s.reply(0n, welcome());
      s.reply(0n, { case: 'syncStep1', value: { stateVector: new Uint8Array([0]) } });
      const step2 = s.sent.find((m) => m.body.case === 'syncStep2')!;
      const server = new Y.Doc();
      Y.applyUpdate(server, step2.body.case === 'syncStep2' ? step2.body.value.update : new Uint8Array());
      expect(server.getText('script').toString()).toBe('maybe dropped');
    });
  }

  it('reports a refused request with its request id and stays connected', () => {
    const h = harness();
    h.conn.connect();
    const s = h.sockets[0];
    s.open();
    s.reply(0n, welcome());
    const id = h.conn.requestAi({ task: 'summarise', anchorStart: new Uint8Array(), anchorEnd: new Uint8Array(), instruction: '', model: '', variants: 1 });
    expect(id).toBeGreaterThan(0n);
    expect(s.sent.at(-1)!.body.case).toBe('aiRequest');
    s.reply(id, { case: 'error', value: { code: ErrorCode.FORBIDDEN, message: 'Viewers cannot ask the AI in this room; the showrunner can allow it.', fatal: false } });
    expect(h.errors).toEqual([{ code: 'FORBIDDEN', detail: 'Viewers cannot ask the AI in this room; the showrunner can allow it.', requestId: id }]);
    expect(h.states.at(-1)).toBe('syncing');
  });

  it('does not send requests before the Welcome', () => {
    const h = harness();
    h.conn.connect();
    h.sockets[0].open();
    expect(h.conn.decide('s1', true)).toBe(0n);
    expect(h.sockets[0].bodies()).toEqual(['hello']);
  });

  it('reports a frame it cannot decode instead of dropping it silently', () => {
    const h = harness();
    h.conn.connect();
    const s = h.sockets[0];
    s.open();
    s.onmessage?.({ data: new Uint8Array([0xff, 0xff, 0xff]).buffer });
    s.onmessage?.({ data: 'text' });
    expect(h.errors.map((e) => e.code)).toEqual(['BAD_FRAME', 'BAD_FRAME']);
  });

  it('relays presence and forgets the others\' cursors when the connection drops', () => {
    const h = harness();
    h.awareness.setLocalStateField('user', { name: 'Ben' });
    h.conn.connect();
    const s = h.sockets[0];
    s.open();
    s.reply(0n, welcome());
    expect(s.bodies()).toContain('awareness');
    const otherDoc = new Y.Doc();
    const other = new Awareness(otherDoc);
    cleanups.push(() => other.destroy());
    other.setLocalStateField('user', { name: 'Maya' });
    s.reply(0n, { case: 'awareness', value: { update: encodeAwarenessUpdate(other, [otherDoc.clientID]) } });
    expect(h.awareness.getStates().get(otherDoc.clientID)).toMatchObject({ user: { name: 'Maya' } });
    s.drop();
    expect(h.awareness.getStates().has(otherDoc.clientID)).toBe(false);
    expect(h.awareness.getLocalState()).toMatchObject({ user: { name: 'Ben' } });
  });
});

describe('two clients through a relay', () => {
  it('converge after concurrent edits (seeded)', () => {
    const seed = 20261202;
    console.log(`two clients through a relay: seed=${seed}`);
    let rnd = seed;
    const random = () => ((rnd = (rnd * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const server = new Y.Doc();
    const sockets: FakeSocket[] = [];
    // a minimal server: applies updates, broadcasts them to the other socket, answers syncs
    const peer = (socket: FakeSocket, msg: ClientMessage) => {
      switch (msg.body.case) {
        case 'hello':
          queueMicrotask(() => {
            socket.reply(0n, welcome());
            socket.reply(0n, { case: 'syncStep1', value: { stateVector: Y.encodeStateVector(server) } });
          });
          break;
        case 'syncStep1':
          socket.reply(msg.requestId, { case: 'syncStep2', value: { update: Y.encodeStateAsUpdate(server, msg.body.value.stateVector) } });
          break;
        case 'syncStep2':
        case 'update':
          Y.applyUpdate(server, msg.body.value.update);
          socket.reply(msg.requestId, { case: 'ack', value: {} });
          for (const o of sockets) if (o !== socket && o.readyState === 1) o.reply(0n, { case: 'update', value: { update: msg.body.value.update } });
          break;
        default:
          break;
      }
    };
    const a = harness(peer, 1);
    const b = harness(peer, 2);
    a.conn.connect();
    b.conn.connect();
    sockets.push(a.sockets[0], b.sockets[0]);
    return Promise.resolve().then(async () => {
      a.sockets[0].open();
      b.sockets[0].open();
      await new Promise((r) => setTimeout(r, 0));
      expect(a.conn.state).toBe('live');
      expect(b.conn.state).toBe('live');
      for (let i = 0; i < 200; i++) {
        const h = random() < 0.5 ? a : b;
        const text = h.doc.getText('script');
        if (text.length > 0 && random() < 0.3) text.delete(Math.floor(random() * text.length), 1);
        else text.insert(Math.floor(random() * (text.length + 1)), 'xy'[Math.floor(random() * 2)]);
      }
      expect(a.doc.getText('script').toString()).toBe(server.getText('script').toString());
      expect(b.doc.getText('script').toString()).toBe(server.getText('script').toString());
      expect(server.getText('script').length).toBeGreaterThan(0);
    });
  });
});
