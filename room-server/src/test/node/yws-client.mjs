#!/usr/bin/env node
/**
 * yws-client.mjs — a y-websocket client for tests: the official `yjs` document and the official
 * `y-websocket` provider (over the `ws` package), driven by line-delimited JSON on stdin/stdout.
 *
 *   request : {"id": n, "op": "<name>", ...}       response: {"id": n, ...} or {"id": n, "error": "..."}
 *
 * Ops:
 *   connect {url, room, token, clientId}  creates the doc and the provider; answers once synced
 *   insert {index, text} / delete {index, length}   edits doc.getText("script")
 *   text {}                               -> {text}
 *   stateVector {}                        -> {sv} (base64)
 *   synced {}                             -> {synced}
 *   disconnect {} / reconnect {}          reconnect answers once synced again
 *   awareness {state}                     sets the local awareness state
 *   peers {}                              -> {states: [{clientId, state}]} of other clients
 *   received {}                           -> {bytes} received on the socket since the last call
 *   denied {}                             -> {reasons: [...]} "permission denied" messages seen
 *   close {}
 */
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import * as authProtocol from 'y-protocols/auth'
import WebSocket from 'ws'
import { createInterface } from 'node:readline'

console.log = console.error

let doc = null
let provider = null
let receivedBytes = 0
const denied = []

// counts bytes received, to check that a reconnect transfers a diff and not the whole document
class CountingWebSocket extends WebSocket {
  constructor (...args) {
    super(...args)
    this.addEventListener('message', ev => {
      const d = ev.data
      receivedBytes += d.byteLength ?? d.length ?? 0
    })
  }
}

const waitSynced = () => new Promise((resolve, reject) => {
  if (provider.synced) return resolve()
  const timer = setTimeout(() => reject(new Error('not synced within 15 s')), 15000)
  const handler = synced => {
    if (synced) {
      clearTimeout(timer)
      provider.off('sync', handler)
      resolve()
    }
  }
  provider.on('sync', handler)
})

const ops = {
  async connect (a) {
    doc = new Y.Doc()
    if (a.clientId !== undefined) doc.clientID = a.clientId
    provider = new WebsocketProvider(a.url, a.room, doc, {
      WebSocketPolyfill: CountingWebSocket,
      params: { token: a.token },
      resyncInterval: -1,
      maxBackoffTime: 500
    })
    // record the server's "permission denied" messages (y-websocket would only log them)
    provider.messageHandlers[2] = (_encoder, decoder) =>
      authProtocol.readAuthMessage(decoder, doc, (_ydoc, reason) => denied.push(reason))
    await waitSynced()
    return { ok: true }
  },
  insert (a) { doc.getText('script').insert(a.index, a.text); return { ok: true } },
  delete (a) { doc.getText('script').delete(a.index, a.length); return { ok: true } },
  text () { return { text: doc.getText('script').toString() } },
  stateVector () { return { sv: Buffer.from(Y.encodeStateVector(doc)).toString('base64') } },
  synced () { return { synced: provider.synced } },
  disconnect () { provider.disconnect(); return { ok: true } },
  async reconnect () { receivedBytes = 0; provider.connect(); await waitSynced(); return { ok: true } },
  awareness (a) { provider.awareness.setLocalState(a.state); return { ok: true } },
  peers () {
    const states = []
    provider.awareness.getStates().forEach((state, clientId) => {
      if (clientId !== doc.clientID) states.push({ clientId, state })
    })
    return { states }
  },
  received () { const b = receivedBytes; receivedBytes = 0; return { bytes: b } },
  denied () { return { reasons: denied.splice(0) } },
  close () { provider.destroy(); return { ok: true } }
}

const rl = createInterface({ input: process.stdin })
rl.on('line', async line => {
  let req
  try { req = JSON.parse(line) } catch (e) { process.stdout.write(JSON.stringify({ id: null, error: 'bad json' }) + '\n'); return }
  try {
    const f = ops[req.op]
    if (!f) throw new Error('unknown op ' + req.op)
    const res = await f(req)
    process.stdout.write(JSON.stringify({ id: req.id, ...res }) + '\n')
  } catch (e) {
    process.stdout.write(JSON.stringify({ id: req.id, error: String(e && e.message || e) }) + '\n')
  }
})
rl.on('close', () => { if (provider) provider.destroy(); process.exit(0) })
