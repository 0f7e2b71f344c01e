#!/usr/bin/env node
/**
 * fanout-load.mjs — one load worker of `roomtone bench fanout` (see docs/fanout.md). It owns whole
 * rooms: every writer of a room is a real yjs document with a real provider in this process, so a
 * sender and its receivers share one clock.
 *
 * stdin, line 1: the spec
 *   {kind: "roomtone"|"hocuspocus", url, rooms: [{room, tokens: [one per writer]}], writers,
 *    rate (edits/s per writer), seconds, seed, drainMs}
 * stdout: {"event":"ready", connected} once every writer is synced; then, after the line "start"
 * on stdin, {"event":"drained"} when every delivery arrived (or the drain timed out), then, after
 * the line "check", {"event":"result", ...} after the convergence checks (see the end of this file). Diagnostics go to stderr.
 */
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { HocuspocusProvider } from '@hocuspocus/provider'
import WebSocket from 'ws'
import { createInterface } from 'node:readline'
import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'

console.log = console.error
// every y-websocket provider adds a process 'exit' listener; hundreds per process are expected here
process.setMaxListeners(0)
const out = obj => process.stdout.write(JSON.stringify(obj) + '\n')

// mulberry32: a small seeded generator, so a run's typing can be repeated
const rng = seed => () => {
  seed = (seed + 0x6D2B79F5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const lines = createInterface({ input: process.stdin })
const nextLine = (() => {
  const queue = []
  const waiting = []
  lines.on('line', l => { const w = waiting.shift(); if (w) w(l); else queue.push(l) })
  lines.on('close', () => { for (const w of waiting.splice(0)) w(null) })
  return () => queue.length ? Promise.resolve(queue.shift()) : new Promise(r => waiting.push(r))
})()

const spec = JSON.parse(await nextLine())
const random = rng(spec.seed >>> 0)

function connect (room, token) {
  const doc = new Y.Doc()
  let provider
  if (spec.kind === 'hocuspocus') {
    provider = new HocuspocusProvider({ url: spec.url, name: room, document: doc, WebSocketPolyfill: WebSocket })
  } else {
    // disableBc: clients of one room in one process must not talk to each other past the server
    provider = new WebsocketProvider(spec.url, room, doc,
      { WebSocketPolyfill: WebSocket, params: { token }, disableBc: true, maxBackoffTime: 500 })
  }
  const synced = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`room ${room}: not synced within 60 s`)), 60000)
    const done = () => { clearTimeout(timer); resolve() }
    if (spec.kind === 'hocuspocus') {
      if (provider.isSynced) done(); else provider.on('synced', done)
    } else {
      if (provider.synced) done(); else provider.on('sync', s => { if (s) done() })
    }
  })
  return { doc, provider, synced }
}

// ---- connect every writer, a few at a time
const rooms = spec.rooms.map(r => ({ name: r.room, tokens: r.tokens, writers: [] }))
const all = []
for (const room of rooms) {
  for (let i = 0; i < spec.writers; i++) {
    const w = { room, index: i, token: room.tokens[i % room.tokens.length], sentAt: [], edits: 0, seen: null }
    room.writers.push(w)
    all.push(w)
  }
}
const CONNECT_AT_ONCE = 50
for (let i = 0; i < all.length; i += CONNECT_AT_ONCE) {
  const batch = all.slice(i, i + CONNECT_AT_ONCE)
  for (const w of batch) Object.assign(w, connect(w.room.name, w.token))
  await Promise.all(batch.map(w => w.synced))
}

// ---- receivers: every remote update is checked against each writer's clock in this room
const latencies = []
let deliveries = 0
let measuring = false
for (const w of all) {
  w.seen = new Map(w.room.writers.filter(o => o !== w).map(o => [o.doc.clientID, 0]))
  w.others = w.room.writers.filter(o => o !== w)
  w.doc.on('update', (_u, _origin, _doc, tr) => {
    if (tr.local) return
    const now = performance.now()
    for (const o of w.others) {
      const id = o.doc.clientID
      const state = Y.getState(w.doc.store, id)
      let last = w.seen.get(id)
      for (; last < state; last++) {
        const sent = o.sentAt[last]
        if (sent !== undefined) {
          deliveries++
          if (measuring) latencies.push(Math.round((now - sent) * 1000)) // microseconds
        }
      }
      w.seen.set(id, last)
    }
  })
}
out({ event: 'ready', connected: all.length })

if ((await nextLine()) !== 'start') process.exit(1)

// ---- typing
const cpu0 = process.cpuUsage()
const t0 = performance.now()
const end = t0 + spec.seconds * 1000
const interval = 1000 / spec.rate
let editsSent = 0
let expected = 0
measuring = true
const type = w => {
  if (performance.now() >= end) return
  const text = w.doc.getText('script')
  const at = Math.floor(random() * (text.length + 1))
  const ch = String.fromCharCode(97 + Math.floor(random() * 26))
  const clock = Y.getState(w.doc.store, w.doc.clientID)
  w.sentAt[clock] = performance.now()
  text.insert(at, ch)
  w.edits++
  editsSent++
  expected += w.others.length
  setTimeout(type, interval * (0.5 + random()), w)
}
for (const w of all) setTimeout(type, random() * interval, w)
await new Promise(r => setTimeout(r, spec.seconds * 1000))

// ---- drain: wait for every expected delivery, or give up after drainMs
const drainUntil = performance.now() + (spec.drainMs ?? 30000)
while (deliveries < expected && performance.now() < drainUntil) {
  await new Promise(r => setTimeout(r, 20))
}
const measuredMs = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
out({ event: 'drained' })
// the runner says when to check: a test may have other writers of its own that must stop first
if ((await nextLine()) !== 'check') process.exit(1)

// ---- convergence: in each room the writers and a fresh client that synced from the server end up
// with equal state vectors and equal texts. Replicas converge once the last broadcasts are in
// (large edits can still be on their way): they get up to 20 s to agree before it counts.
const sha = s => createHash('sha256').update(s).digest('hex')
const roomResults = []
let converged = true
const agree = replicas =>
  new Set(replicas.map(w => Buffer.from(Y.encodeStateVector(w.doc)).toString('base64'))).size === 1 &&
  new Set(replicas.map(w => w.doc.getText('script').toString())).size === 1
for (const room of rooms) {
  let fresh = null
  try {
    fresh = connect(room.name, room.tokens[0])
    await fresh.synced
  } catch (e) {
    console.error(String(e))
    fresh = null
  }
  const replicas = fresh === null ? room.writers : [...room.writers, fresh]
  for (let i = 0; i < 1000 && !agree(replicas); i++) await new Promise(r => setTimeout(r, 20))
  const text = room.writers[0].doc.getText('script').toString()
  const fromServer = fresh === null ? null : fresh.doc.getText('script').toString()
  const ok = fresh !== null && agree(replicas)
  if (fresh !== null) fresh.provider.destroy()
  if (!ok) converged = false
  roomResults.push({ room: room.name, converged: ok, length: text.length, sha256: sha(text), serverSha256: fromServer === null ? null : sha(fromServer) })
}

out({
  event: 'result',
  editsSent,
  deliveriesExpected: expected,
  deliveriesSeen: deliveries,
  converged,
  measuredMs,
  clientCpuMs: (cpu.user + cpu.system) / 1000,
  latenciesUs: latencies,
  rooms: roomResults
})
for (const w of all) w.provider.destroy()
await nextLine()
process.exit(0)
