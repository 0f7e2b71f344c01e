#!/usr/bin/env node
/**
 * yjs-trace.mjs — replays an editing trace with the reference `yjs` (13.6.x) package; it is the
 * anchor the Java implementation's benchmark figures are compared with.
 *
 *   node --expose-gc yjs-trace.mjs FILE.json.gz [--runs N]
 *
 * Prints one JSON line per run:
 *   {"impl":"yjs","trace":name,"patches":N,"correct":bool,"replay_ms","encode_ms","load_ms",
 *    "update_bytes","loaded_doc_mb"}            (+ "agents" for concurrent traces)
 *
 * Sequential traces ({startContent, endContent, txns:[{time, patches:[[pos, del, ins], ...]}]}):
 *   every patch is its own doc.transact on doc.getText("text"), as a typing user would produce,
 *   with clientID 1 and gc enabled.
 * Concurrent traces ({kind:"concurrent", endContent, numAgents, txns:[{parents, agent, patches}]}):
 *   one Y.Doc per agent (clientID = agent + 1). Each txn's patches run as local transactions on
 *   its agent's doc, and the Yjs update they emit is logged per txn. Before a txn runs, its agent
 *   receives the logged updates of every ancestor txn it has not seen yet, in causal order. A
 *   per-txn log is used rather than state-vector diffs because Yjs deletions do not advance the
 *   state vector: a diff taken from the author's doc could leak deletions the txn's parents never
 *   saw. At the end all agents sync pairwise and each must equal endContent.
 *
 * Timings (performance.now(), ms):
 *   replay_ms  all patches (concurrent: including update delivery between agents)
 *   encode_ms  Y.encodeStateAsUpdate(doc) of the final document (concurrent: agent 0 after sync)
 *   load_ms    new Y.Doc() + Y.applyUpdate(encoded bytes)
 *   loaded_doc_mb  heapUsed after loading minus heapUsed before, both after repeated forced gc,
 *              with the replayed document(s) released first and the encoded bytes released before
 *              the second reading (needs --expose-gc; null without it).
 *
 * Positions and lengths in traces count Unicode code points; they are converted to UTF-16 indices
 * (trivially, until some inserted text contains a surrogate pair).
 */
import * as Y from 'yjs'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { basename } from 'node:path'
import { performance } from 'node:perf_hooks'

const usage = 'usage: node --expose-gc yjs-trace.mjs FILE.json.gz [--runs N]'
const args = process.argv.slice(2)
let file = null
let runs = 1
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number.parseInt(args[++i], 10)
  else if (file === null) file = args[i]
  else { console.error(usage); process.exit(2) }
}
if (file === null || !(runs >= 1)) { console.error(usage); process.exit(2) }
if (typeof globalThis.gc !== 'function') console.error('warning: run with --expose-gc to measure loaded_doc_mb')

const trace = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'))
const traceName = basename(file).replace(/\.json(\.gz)?$/, '')
const isConcurrent = trace.kind === 'concurrent'
const patchCount = trace.txns.reduce((n, t) => n + t.patches.length, 0)

const SURROGATE = /[\uD800-\uDFFF]/

/**
 * Maps a code-point offset in `str` to a UTF-16 offset (walks the string; only used once the
 * document may contain characters above U+FFFF).
 */
const cpToUtf16 = (str, cp) => {
  let i = 0
  while (cp > 0 && i < str.length) {
    const c = str.charCodeAt(i)
    i += (c >= 0xD800 && c <= 0xDBFF && i + 1 < str.length) ? 2 : 1
    cp--
  }
  return i
}

/** Applies one [pos, numDeleted, insertedText] patch as a single local transaction. */
const applyPatch = (doc, text, patch, state) => {
  let [pos, del, ins] = patch
  if (state.astral) {
    // Convert code-point positions/lengths to UTF-16 against the current content.
    const s = text.toString()
    const start = cpToUtf16(s, pos)
    const end = del > 0 ? start + cpToUtf16(s.slice(start), del) : start
    pos = start
    del = end - start
  }
  if (ins.length > 0 && !state.astral && SURROGATE.test(ins)) state.astral = true
  doc.transact(() => {
    if (del > 0) text.delete(pos, del)
    if (ins.length > 0) text.insert(pos, ins)
  })
}

const gcHard = () => {
  if (typeof globalThis.gc !== 'function') return
  for (let i = 0; i < 6; i++) globalThis.gc()
}

const mib = bytes => Math.round(bytes / (1024 * 1024) * 100) / 100

/**
 * Times encode and load of the final document and measures the loaded document's retained heap.
 * `release` drops the caller's references to the replayed document(s) before the baseline.
 */
const encodeAndLoad = (finalDoc, release) => {
  let t0 = performance.now()
  let update = Y.encodeStateAsUpdate(finalDoc)
  const encodeMs = performance.now() - t0
  const updateBytes = update.length
  finalDoc = null
  release()

  gcHard()
  const before = process.memoryUsage().heapUsed
  t0 = performance.now()
  const loaded = new Y.Doc()
  Y.applyUpdate(loaded, update)
  const loadMs = performance.now() - t0
  update = null

  const loadedText = loaded.getText('text')
  const loadedOk = loadedText.toString() === trace.endContent
  gcHard()
  const after = process.memoryUsage().heapUsed
  const loadedMb = typeof globalThis.gc === 'function' ? mib(after - before) : null
  // Keep `loaded` reachable until after the second reading.
  if (loaded.clientID === -1) console.error('unreachable')
  return { encodeMs, loadMs, updateBytes, loadedOk, loadedMb }
}

const round = ms => Math.round(ms * 1000) / 1000

const runSequential = () => {
  let doc = new Y.Doc({ gc: true })
  doc.clientID = 1
  let text = doc.getText('text')
  const state = { astral: SURROGATE.test(trace.startContent || '') }
  if (trace.startContent) doc.transact(() => text.insert(0, trace.startContent))

  gcHard()
  const t0 = performance.now()
  for (const txn of trace.txns) {
    for (const patch of txn.patches) applyPatch(doc, text, patch, state)
  }
  const replayMs = performance.now() - t0
  const replayOk = text.toString() === trace.endContent

  const r = encodeAndLoad(doc, () => { doc = null; text = null })
  return {
    impl: 'yjs',
    trace: traceName,
    patches: patchCount,
    correct: replayOk && r.loadedOk,
    replay_ms: round(replayMs),
    encode_ms: round(r.encodeMs),
    load_ms: round(r.loadMs),
    update_bytes: r.updateBytes,
    loaded_doc_mb: r.loadedMb
  }
}

const runConcurrent = () => {
  const txns = trace.txns
  const numAgents = trace.numAgents
  let agents = []
  for (let a = 0; a < numAgents; a++) {
    const doc = new Y.Doc({ gc: true })
    doc.clientID = a + 1
    agents.push({ doc, text: doc.getText('text'), state: { astral: false }, seen: new Uint8Array(txns.length) })
  }
  /** Update emitted by each txn on its author's doc (merged when a txn has several patches). */
  let txnUpdate = new Array(txns.length).fill(null)
  const stack = []
  const order = []

  /** Delivers to agent `ag` every ancestor of `parents` it has not seen, parents before children. */
  const deliver = (ag, parents) => {
    const seen = ag.seen
    // Iterative post-order DFS over the unseen part of the history graph.
    for (const p of parents) {
      if (seen[p]) continue
      stack.push(p, 0)
      while (stack.length > 0) {
        const state = stack.pop()
        const t = stack.pop()
        if (state === 0) {
          if (seen[t]) continue
          seen[t] = 2 // in progress
          stack.push(t, 1)
          for (const q of txns[t].parents) if (!seen[q]) stack.push(q, 0)
        } else {
          seen[t] = 1
          order.push(t)
        }
      }
    }
    for (const t of order) {
      const u = txnUpdate[t]
      if (u === null) throw new Error(`txn ${t} is delivered before it was replayed (txns not in causal order)`)
      if (u.length > 0) Y.applyUpdate(ag.doc, u)
    }
    order.length = 0
  }

  gcHard()
  const t0 = performance.now()
  for (let i = 0; i < txns.length; i++) {
    const txn = txns[i]
    const ag = agents[txn.agent]
    deliver(ag, txn.parents)
    const updates = []
    const onUpdate = u => { updates.push(u) }
    ag.doc.on('update', onUpdate)
    for (const patch of txn.patches) {
      if (patch[2].length > 0 && SURROGATE.test(patch[2])) {
        // Every agent converts positions once any astral character exists anywhere.
        for (const other of agents) other.state.astral = true
      }
      applyPatch(ag.doc, ag.text, patch, ag.state)
    }
    ag.doc.off('update', onUpdate)
    txnUpdate[i] = updates.length === 0 ? new Uint8Array(0) : updates.length === 1 ? updates[0] : Y.mergeUpdates(updates)
    ag.seen[i] = 1
  }
  // Final sync: every agent receives what every other agent has.
  for (const a of agents) {
    for (const b of agents) {
      if (a !== b) Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)))
    }
  }
  const replayMs = performance.now() - t0
  const replayOk = agents.every(a => a.text.toString() === trace.endContent)

  const r = encodeAndLoad(agents[0].doc, () => { agents = null; txnUpdate = null })
  return {
    impl: 'yjs',
    trace: traceName,
    patches: patchCount,
    agents: numAgents,
    correct: replayOk && r.loadedOk,
    replay_ms: round(replayMs),
    encode_ms: round(r.encodeMs),
    load_ms: round(r.loadMs),
    update_bytes: r.updateBytes,
    loaded_doc_mb: r.loadedMb
  }
}

for (let run = 0; run < runs; run++) {
  const result = isConcurrent ? runConcurrent() : runSequential()
  process.stdout.write(JSON.stringify(result) + '\n')
}
