#!/usr/bin/env node
/**
 * yjs-oracle.mjs — a line-delimited JSON driver around the reference `yjs` (13.6.x) package.
 *
 * The Java reimplementation is tested against this process: it writes one JSON request per line
 * on stdin and reads exactly one JSON response per line on stdout, until stdin closes. Because the
 * oracle and the Java code must agree byte for byte, everything binary (updates, state vectors,
 * snapshots, encoded relative positions) travels as base64 strings, and all rendering of document
 * content is deterministic.
 *
 * Protocol
 *   request : {"id": any, "op": "<name>", ...args}
 *   response: {"id": <echoed>, ...result}     or     {"id": <echoed>, "error": "message"}
 *   A malformed line gets {"id": null, "error": ...}. The process never exits on a bad request.
 *   console.log is redirected to stderr so that stdout carries protocol lines only.
 *
 * Documents are held in a Map by name ("doc" argument).
 *
 * Paths address a shared type: path[0] is "<kind>:<rootName>" with kind one of
 *   text | map | array | xml   (doc.getText / getMap / getArray / getXmlFragment),
 * followed by steps: a string key (Y.Map entry, or Y.XmlElement attribute) or a number index
 * (Y.Array / Y.XmlFragment / Y.XmlElement child, or the embed at that index of a Y.Text).
 *
 * Values (mapSet, arrayInsert, arrayPush, setAttribute on xml, insertEmbed, applyDelta inserts):
 *   plain JSON                    -> stored as-is (ContentAny / ContentEmbed)
 *   {"$type":"text",  "init"?: string}                     -> new Y.Text(init)
 *   {"$type":"map",   "init"?: {k:v} | [[k,v],...]}        -> new Y.Map(entries)   (prelim content)
 *   {"$type":"array", "init"?: [values]}                   -> Y.Array.from(values) (prelim content)
 *   {"$type":"xmlElement", "name": "p"} | {"$type":"xmlText", "init"?: string} | {"$type":"xmlFragment"}
 *   {"$type":"doc", "guid"?: string, "opts"?: {...}}       -> new Y.Doc(...) (subdocument, ContentDoc)
 *   {"$binary":"base64"}          -> Uint8Array (ContentBinary at top level; inside JSON it is a
 *                                    lib0 "any" binary)
 *   {"$undefined":true}           -> undefined;   {"$bigint":"123"} -> BigInt
 *   {"$json": value}              -> value taken literally (escape hatch for objects whose keys
 *                                    would otherwise look like markers)
 *
 * Rendering (content, get, events, decodeUpdate) follows toJSON()/toDelta(), except that:
 *   object keys are sorted (as far as JSON allows: JS always lists integer-like keys first),
 *   Uint8Array -> {"$binary": b64}, undefined -> {"$undefined": true}, bigint -> {"$bigint": "…"},
 *   subdocuments -> {"$doc": guid}, Y.Text -> toString(), Y.Map -> object, Y.Array -> array,
 *   xml types -> toString(). Compare renderings structurally (parse the JSON), not as strings.
 *
 * Ops (arguments in braces; "?" = optional; v2:true switches an update op to the V2 encoding)
 *   ping {}                                        -> {ok, yjs}   (yjs version string)
 *   new {doc, clientId, gc?=true, guid?}           -> {ok}        (error if the name is taken)
 *   drop {doc}                                     -> {ok, existed}
 *   list {}                                        -> {docs:[names]}
 *   setClientId {doc, clientId}                    -> {ok}
 *   apply {doc, ops:[edit...], origin?}            -> {ok, update}  all edits in ONE doc.transact;
 *        update = the V1 update emitted by that transaction (base64) or null if nothing changed.
 *        If an edit throws, earlier edits of the same transaction stay applied (as in yjs).
 *     edits:
 *       {k:"insertText", path, index, text, attrs?}    attrs omitted => inherit formatting at index
 *       {k:"deleteText", path, index, length}
 *       {k:"format", path, index, length, attrs}       attr value null removes that format
 *       {k:"insertEmbed", path, index, embed, attrs?}  embed: JSON object or a $type marker
 *       {k:"applyDelta", path, delta, sanitize?}       Y.Text.applyDelta; inserts may be $type markers
 *       {k:"setAttribute", path, key, value}           Y.Text / Y.XmlElement attribute
 *       {k:"removeAttribute", path, key}
 *       {k:"mapSet", path, key, value}
 *       {k:"mapDelete", path, key}
 *       {k:"arrayInsert", path, index, values:[...]}   also Y.XmlFragment / Y.XmlElement children
 *       {k:"arrayDelete", path, index, length}
 *       {k:"arrayPush", path, values:[...]}
 *       {k:"arrayUnshift", path, values:[...]}
 *   encodeState {doc, sv?, v2?}                    -> {update}   Y.encodeStateAsUpdate(doc, sv)
 *   stateVector {doc}                              -> {sv, svMap:{client: clock}}
 *   applyUpdate {doc, update, v2?, origin?}        -> {ok:true}
 *   content {doc, roots:["text:t","map:m",...]}    -> {content:{root: rendering}}
 *        text roots render as {delta: toDelta(), text: toString()}; map/array roots as toJSON();
 *        xml roots as toString().
 *   get {doc, path}                                -> {kind, value}  same rendering for any type
 *   mergeUpdates {updates:[...], v2?}              -> {update}
 *   diffUpdate {update, sv, v2?}                   -> {update}
 *   svFromUpdate {update, v2?}                     -> {sv, svMap}
 *   convertUpdate {update, to:"v1"|"v2"}           -> {update}
 *   parseUpdateMeta {update, v2?}                  -> {from:{client:clock}, to:{client:clock}}
 *   decodeUpdate {update, v2?}                     -> {structs:[...], ds:{client:[[clock,len],...]}}
 *   snapshot {doc}                                 -> {snapshot}  Y.encodeSnapshot(Y.snapshot(doc))
 *   relPos {doc, path, index, assoc?=0}            -> {rpos, json}
 *   resolveRelPos {doc, rpos}                      -> {index, type, assoc}  (index/type null if
 *        the position does not resolve; type is the path of the type it resolves into)
 *   observe {doc, path}                            -> {ok}  records the type's own events
 *   observeDeep {doc, path}                        -> {ok}  records events of it and descendants
 *   events {doc}                                   -> {events:[...]} and clears the list; each
 *        event is {path, delta} (text/array/xml) or {path, keys:{key:{action, oldValue?}}} (map);
 *        non-map events also carry keys when attributes changed. One entry per event, in the
 *        order yjs fires them; a "deep" observer's entries carry "deep": true.
 *   undoManager {doc, paths:[path...], captureTimeout?=0, trackedOrigins?=[null]} -> {ok}
 *   undo {doc} / redo {doc}                        -> {ok, changed, update}  (changed: a stack item
 *        was applied; update: the V1 update of that transaction or null)
 *   stopCapturing {doc}                            -> {ok}
 *   batch {requests:[...]}                         -> {results:[response...]}  runs in order; a
 *        failing request yields its own {id, error} entry and the rest still run.
 */
import * as Y from 'yjs'
import { createInterface } from 'node:readline'
import { createRequire } from 'node:module'

// stdout is the protocol channel; keep stray library logging off it.
console.log = console.error
console.info = console.error
console.debug = console.error

const YJS_VERSION = (() => {
  try { return createRequire(import.meta.url)('yjs/package.json').version } catch { return 'unknown' }
})()

/* ------------------------------------------------------------------ base64 helpers */

const b64 = bytes => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
const unb64 = s => {
  if (typeof s !== 'string') throw new Error('expected a base64 string')
  return new Uint8Array(Buffer.from(s, 'base64'))
}

/* ------------------------------------------------------------------ per-document state */

/** @type {Map<string, {doc: Y.Doc, events: any[], observed: Set<string>, undo: Y.UndoManager|null}>} */
const docs = new Map()

const entry = name => {
  const e = docs.get(name)
  if (!e) throw new Error(`no such doc: ${JSON.stringify(name)}`)
  return e
}

const need = (args, key) => {
  if (args[key] === undefined) throw new Error(`missing argument "${key}"`)
  return args[key]
}

const needInt = (args, key) => {
  const v = need(args, key)
  if (!Number.isInteger(v)) throw new Error(`argument "${key}" must be an integer`)
  return v
}

/* ------------------------------------------------------------------ paths */

const rootOf = (doc, spec) => {
  if (typeof spec !== 'string' || spec.indexOf(':') < 0) throw new Error(`bad root spec ${JSON.stringify(spec)} (want "kind:name")`)
  const i = spec.indexOf(':')
  const kind = spec.slice(0, i)
  const name = spec.slice(i + 1)
  switch (kind) {
    case 'text': return doc.getText(name)
    case 'map': return doc.getMap(name)
    case 'array': return doc.getArray(name)
    case 'xml': return doc.getXmlFragment(name)
    default: throw new Error(`unknown root kind "${kind}"`)
  }
}

/** The value (embed or nested type) at a countable index of a Y.Text. */
const textEmbedAt = (text, index) => {
  let pos = 0
  for (let n = text._start; n !== null; n = n.right) {
    if (!n.deleted && n.countable) {
      if (index < pos + n.length) {
        if (n.content instanceof Y.ContentType) return n.content.type
        if (n.content instanceof Y.ContentEmbed) return n.content.embed
        return n.content.getContent()[index - pos]
      }
      pos += n.length
    }
  }
  return undefined
}

const resolvePath = (doc, path) => {
  if (!Array.isArray(path) || path.length === 0) throw new Error('path must be a non-empty array')
  let t = rootOf(doc, path[0])
  for (let i = 1; i < path.length; i++) {
    const step = path[i]
    let next
    if (typeof step === 'string') {
      if (t instanceof Y.Map) next = t.get(step)
      else if (t instanceof Y.XmlElement) next = t.getAttribute(step)
      else throw new Error(`path step ${i} (${JSON.stringify(step)}): key on a non-map type`)
    } else if (Number.isInteger(step)) {
      if (t instanceof Y.Array || t instanceof Y.XmlFragment) next = t.get(step)
      else if (t instanceof Y.Text) next = textEmbedAt(t, step)
      else throw new Error(`path step ${i} (${step}): index on a non-list type`)
    } else {
      throw new Error(`path step ${i}: must be a string or an integer`)
    }
    if (!(next instanceof Y.AbstractType)) throw new Error(`path step ${i} (${JSON.stringify(step)}) does not reach a shared type`)
    t = next
  }
  return t
}

const rootKind = t =>
  t instanceof Y.Text ? 'text' : t instanceof Y.Map ? 'map' : t instanceof Y.Array ? 'array' : t instanceof Y.XmlFragment ? 'xml' : 'type'

/** Inverse of resolvePath: the path of a type inside its document (null if not found). */
const pathOf = (type) => {
  const steps = []
  let t = type
  while (t._item !== null) {
    const item = t._item
    const parent = item.parent
    if (item.parentSub !== null) {
      steps.push(item.parentSub)
    } else {
      let index = 0
      for (let n = parent._start; n !== null && n !== item; n = n.right) {
        if (!n.deleted && n.countable) index += n.length
      }
      steps.push(index)
    }
    t = parent
  }
  const doc = t.doc
  if (doc === null) return null
  for (const [name, root] of doc.share) {
    if (root === t) {
      steps.push(`${rootKind(t)}:${name}`)
      return steps.reverse()
    }
  }
  return null
}

const kindOf = t =>
  t instanceof Y.XmlHook ? 'xmlHook'
    : t instanceof Y.XmlText ? 'xmlText'
      : t instanceof Y.XmlElement ? 'xmlElement'
        : t instanceof Y.XmlFragment ? 'xmlFragment'
          : t instanceof Y.Text ? 'text'
            : t instanceof Y.Map ? 'map'
              : t instanceof Y.Array ? 'array' : 'type'

/* ------------------------------------------------------------------ JSON -> yjs values */

const isPlainObject = v => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Converts marker objects inside a JSON value (no shared types allowed at this level). */
const toAny = v => {
  if (Array.isArray(v)) return v.map(toAny)
  if (!isPlainObject(v)) return v
  if ('$json' in v) return v.$json
  if ('$binary' in v) return unb64(v.$binary)
  if ('$undefined' in v) return undefined
  if ('$bigint' in v) return BigInt(v.$bigint)
  if ('$type' in v) throw new Error('shared types ($type) cannot be nested inside plain JSON values')
  const out = {}
  for (const k of Object.keys(v)) out[k] = toAny(v[k])
  return out
}

const newType = spec => {
  switch (spec.$type) {
    case 'text': return new Y.Text(spec.init === undefined ? undefined : String(spec.init))
    case 'map': {
      const init = spec.init === undefined ? undefined
        : Array.isArray(spec.init) ? spec.init.map(([k, v]) => [k, toYValue(v)])
          : Object.keys(spec.init).map(k => [k, toYValue(spec.init[k])])
      return new Y.Map(init)
    }
    case 'array': return spec.init === undefined ? new Y.Array() : Y.Array.from(spec.init.map(toYValue))
    case 'xmlText': return new Y.XmlText(spec.init === undefined ? undefined : String(spec.init))
    case 'xmlElement': return new Y.XmlElement(spec.name === undefined ? 'UNDEFINED' : String(spec.name))
    case 'xmlFragment': return new Y.XmlFragment()
    case 'doc': return new Y.Doc({ ...(spec.opts || {}), ...(spec.guid !== undefined ? { guid: spec.guid } : {}) })
    default: throw new Error(`unknown $type ${JSON.stringify(spec.$type)}`)
  }
}

/** A value as it may be stored in a map/array: a new shared type, binary, or plain JSON. */
const toYValue = v => (isPlainObject(v) && '$type' in v) ? newType(v) : toAny(v)

/* ------------------------------------------------------------------ yjs values -> JSON */

const sortedObject = (keys, get) => {
  const out = {}
  for (const k of [...keys].sort()) out[k] = get(k)
  return out
}

const render = v => {
  if (v === undefined) return { $undefined: true }
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v
  if (typeof v === 'bigint') return { $bigint: v.toString() }
  if (v instanceof Uint8Array) return { $binary: b64(v) }
  if (v instanceof ArrayBuffer) return { $binary: b64(new Uint8Array(v)) }
  if (v instanceof Y.Doc) return { $doc: v.guid }
  if (v instanceof Y.XmlFragment || v instanceof Y.XmlText) return v.toString() // toJSON() == toString()
  if (v instanceof Y.Text) return v.toString()
  if (v instanceof Y.Map) return sortedObject(v.keys(), k => render(v.get(k)))
  if (v instanceof Y.Array) return v.toArray().map(render)
  if (v instanceof Y.AbstractType) return { $type: 'unknown' } // root not yet defined with a kind
  if (Array.isArray(v)) return v.map(render)
  if (v instanceof Date) return v.toISOString()
  if (typeof v === 'object') return sortedObject(Object.keys(v), k => render(v[k]))
  return String(v)
}

const renderAttrs = attrs => sortedObject(Object.keys(attrs), k => render(attrs[k]))

/** Renders a text or array delta (toDelta(), event.delta). */
const renderDelta = delta => delta.map(op => {
  const out = {}
  if (op.insert !== undefined) out.insert = typeof op.insert === 'string' ? op.insert : render(op.insert)
  if (op.retain !== undefined) out.retain = op.retain
  if (op.delete !== undefined) out.delete = op.delete
  if (op.attributes !== undefined && op.attributes !== null) out.attributes = renderAttrs(op.attributes)
  return out
})

/** Texts (including xml texts) render as {delta, text}; everything else as render(). */
const renderType = t => t instanceof Y.Text
  ? { delta: renderDelta(t.toDelta()), text: t.toString() }
  : render(t)

const idJSON = id => id === null ? null : { client: id.client, clock: id.clock }

const svToObject = svMap => {
  const out = {}
  for (const [client, clock] of [...svMap.entries()].sort((a, b) => a[0] - b[0])) out[client] = clock
  return out
}

const renderContent = c => {
  if (c instanceof Y.ContentString) return { kind: 'String', str: c.str }
  if (c instanceof Y.ContentDeleted) return { kind: 'Deleted', len: c.len }
  if (c instanceof Y.ContentAny) return { kind: 'Any', arr: c.arr.map(render) }
  if (c instanceof Y.ContentJSON) return { kind: 'JSON', arr: c.arr.map(render) }
  if (c instanceof Y.ContentBinary) return { kind: 'Binary', content: b64(c.content) }
  if (c instanceof Y.ContentEmbed) return { kind: 'Embed', embed: render(c.embed) }
  if (c instanceof Y.ContentFormat) return { kind: 'Format', key: c.key, value: render(c.value) }
  if (c instanceof Y.ContentDoc) return { kind: 'Doc', guid: c.doc.guid, opts: render(c.opts) }
  if (c instanceof Y.ContentType) {
    const t = c.type
    const out = { kind: 'Type', type: kindOf(t) }
    if (t instanceof Y.XmlElement) out.nodeName = t.nodeName
    if (t instanceof Y.XmlHook) out.hookName = t.hookName
    return out
  }
  return { kind: 'unknown' }
}

const renderStruct = s => {
  const base = { client: s.id.client, clock: s.id.clock, length: s.length }
  if (s instanceof Y.GC) return { struct: 'GC', ...base }
  if (s instanceof Y.Skip) return { struct: 'Skip', ...base }
  return {
    struct: 'Item',
    ...base,
    origin: idJSON(s.origin),
    rightOrigin: idJSON(s.rightOrigin),
    parent: s.parent === null ? null : typeof s.parent === 'string' ? s.parent : (s.parent instanceof Y.ID ? idJSON(s.parent) : null),
    parentSub: s.parentSub,
    content: renderContent(s.content)
  }
}

const renderDeleteSet = ds => {
  const out = {}
  for (const client of [...ds.clients.keys()].sort((a, b) => a - b)) {
    out[client] = ds.clients.get(client).map(d => [d.clock, d.len])
  }
  return out
}

/* ------------------------------------------------------------------ edits */

const textAt = (doc, path) => {
  const t = resolvePath(doc, path)
  if (!(t instanceof Y.Text)) throw new Error(`${JSON.stringify(path)} is not a text`)
  return t
}

const listAt = (doc, path) => {
  const t = resolvePath(doc, path)
  if (!(t instanceof Y.Array || t instanceof Y.XmlFragment)) throw new Error(`${JSON.stringify(path)} is not an array or xml container`)
  return t
}

const mapAt = (doc, path) => {
  const t = resolvePath(doc, path)
  if (!(t instanceof Y.Map)) throw new Error(`${JSON.stringify(path)} is not a map`)
  return t
}

const values = e => {
  const v = need(e, 'values')
  if (!Array.isArray(v)) throw new Error('"values" must be an array')
  return v.map(toYValue)
}

const runEdit = (doc, e) => {
  switch (e.k) {
    case 'insertText':
      textAt(doc, e.path).insert(needInt(e, 'index'), String(need(e, 'text')), e.attrs === undefined ? undefined : e.attrs)
      break
    case 'deleteText':
      textAt(doc, e.path).delete(needInt(e, 'index'), needInt(e, 'length'))
      break
    case 'format':
      textAt(doc, e.path).format(needInt(e, 'index'), needInt(e, 'length'), need(e, 'attrs'))
      break
    case 'insertEmbed':
      textAt(doc, e.path).insertEmbed(needInt(e, 'index'), toYValue(need(e, 'embed')), e.attrs === undefined ? undefined : e.attrs)
      break
    case 'applyDelta': {
      const delta = need(e, 'delta').map(op => (op.insert !== undefined && typeof op.insert !== 'string')
        ? { ...op, insert: toYValue(op.insert) }
        : op)
      textAt(doc, e.path).applyDelta(delta, { sanitize: e.sanitize !== false })
      break
    }
    case 'setAttribute': {
      const t = resolvePath(doc, e.path)
      if (t instanceof Y.XmlElement) t.setAttribute(String(need(e, 'key')), toYValue(need(e, 'value')))
      else if (t instanceof Y.Text) t.setAttribute(String(need(e, 'key')), toAny(need(e, 'value')))
      else throw new Error('setAttribute needs a text or xml element')
      break
    }
    case 'removeAttribute': {
      const t = resolvePath(doc, e.path)
      if (!(t instanceof Y.XmlElement || t instanceof Y.Text)) throw new Error('removeAttribute needs a text or xml element')
      t.removeAttribute(String(need(e, 'key')))
      break
    }
    case 'mapSet':
      mapAt(doc, e.path).set(String(need(e, 'key')), toYValue(need(e, 'value')))
      break
    case 'mapDelete':
      mapAt(doc, e.path).delete(String(need(e, 'key')))
      break
    case 'arrayInsert':
      listAt(doc, e.path).insert(needInt(e, 'index'), values(e))
      break
    case 'arrayDelete':
      listAt(doc, e.path).delete(needInt(e, 'index'), needInt(e, 'length'))
      break
    case 'arrayPush':
      listAt(doc, e.path).push(values(e))
      break
    case 'arrayUnshift':
      listAt(doc, e.path).unshift(values(e))
      break
    default:
      throw new Error(`unknown edit kind ${JSON.stringify(e.k)}`)
  }
}

/** Runs fn and returns the (V1) update emitted by the transaction(s) it caused, merged; null if none. */
const captureUpdate = (doc, fn) => {
  const updates = []
  const onUpdate = u => { updates.push(u) }
  doc.on('update', onUpdate)
  try {
    fn()
  } finally {
    doc.off('update', onUpdate)
  }
  if (updates.length === 0) return null
  return b64(updates.length === 1 ? updates[0] : Y.mergeUpdates(updates))
}

/* ------------------------------------------------------------------ events */

const recordEvent = (e, event, deep) => {
  // Deltas/keys must be computed while the observer runs (yjs forbids it afterwards).
  const rec = { path: pathOf(event.target) }
  if (deep) rec.deep = true
  const isMap = event.target instanceof Y.Map
  if (!isMap) rec.delta = renderDelta(event.delta)
  if (isMap || event.keys.size > 0) {
    const keys = {}
    for (const k of [...event.keys.keys()].sort()) {
      const change = event.keys.get(k)
      keys[k] = change.action === 'add' ? { action: 'add' } : { action: change.action, oldValue: render(change.oldValue) }
    }
    rec.keys = keys
  }
  e.events.push(rec)
}

/* ------------------------------------------------------------------ ops */

const ops = {
  ping: () => ({ ok: true, yjs: YJS_VERSION }),

  new: a => {
    const name = need(a, 'doc')
    if (docs.has(name)) throw new Error(`doc ${JSON.stringify(name)} already exists`)
    const opts = { gc: a.gc === undefined ? true : !!a.gc }
    if (a.guid !== undefined) opts.guid = String(a.guid)
    const doc = new Y.Doc(opts)
    doc.clientID = needInt(a, 'clientId')
    docs.set(name, { doc, events: [], observed: new Set(), undo: null })
    return { ok: true }
  },

  drop: a => {
    const name = need(a, 'doc')
    const e = docs.get(name)
    if (e) {
      if (e.undo) e.undo.destroy()
      e.doc.destroy()
      docs.delete(name)
    }
    return { ok: true, existed: !!e }
  },

  list: () => ({ docs: [...docs.keys()] }),

  setClientId: a => {
    entry(need(a, 'doc')).doc.clientID = needInt(a, 'clientId')
    return { ok: true }
  },

  apply: a => {
    const { doc } = entry(need(a, 'doc'))
    const edits = need(a, 'ops')
    if (!Array.isArray(edits)) throw new Error('"ops" must be an array')
    const update = captureUpdate(doc, () => {
      doc.transact(() => { for (const e of edits) runEdit(doc, e) }, a.origin === undefined ? null : a.origin)
    })
    return { ok: true, update }
  },

  encodeState: a => {
    const { doc } = entry(need(a, 'doc'))
    const sv = a.sv === undefined || a.sv === null ? undefined : unb64(a.sv)
    const u = a.v2 ? Y.encodeStateAsUpdateV2(doc, sv) : Y.encodeStateAsUpdate(doc, sv)
    return { update: b64(u) }
  },

  stateVector: a => {
    const { doc } = entry(need(a, 'doc'))
    const sv = Y.encodeStateVector(doc)
    return { sv: b64(sv), svMap: svToObject(Y.decodeStateVector(sv)) }
  },

  applyUpdate: a => {
    const { doc } = entry(need(a, 'doc'))
    const u = unb64(need(a, 'update'))
    const origin = a.origin === undefined ? 'remote' : a.origin
    if (a.v2) Y.applyUpdateV2(doc, u, origin)
    else Y.applyUpdate(doc, u, origin)
    return { ok: true }
  },

  content: a => {
    const { doc } = entry(need(a, 'doc'))
    const roots = need(a, 'roots')
    if (!Array.isArray(roots)) throw new Error('"roots" must be an array')
    const content = {}
    for (const spec of roots) content[spec] = renderType(rootOf(doc, spec))
    return { content }
  },

  get: a => {
    const { doc } = entry(need(a, 'doc'))
    const t = resolvePath(doc, need(a, 'path'))
    return { kind: kindOf(t), value: renderType(t) }
  },

  mergeUpdates: a => {
    const us = need(a, 'updates').map(unb64)
    return { update: b64(a.v2 ? Y.mergeUpdatesV2(us) : Y.mergeUpdates(us)) }
  },

  diffUpdate: a => {
    const u = unb64(need(a, 'update'))
    const sv = unb64(need(a, 'sv'))
    return { update: b64(a.v2 ? Y.diffUpdateV2(u, sv) : Y.diffUpdate(u, sv)) }
  },

  svFromUpdate: a => {
    const u = unb64(need(a, 'update'))
    const sv = a.v2 ? Y.encodeStateVectorFromUpdateV2(u) : Y.encodeStateVectorFromUpdate(u)
    return { sv: b64(sv), svMap: svToObject(Y.decodeStateVector(sv)) }
  },

  convertUpdate: a => {
    const u = unb64(need(a, 'update'))
    switch (need(a, 'to')) {
      case 'v2': return { update: b64(Y.convertUpdateFormatV1ToV2(u)) }
      case 'v1': return { update: b64(Y.convertUpdateFormatV2ToV1(u)) }
      default: throw new Error('"to" must be "v1" or "v2"')
    }
  },

  parseUpdateMeta: a => {
    const u = unb64(need(a, 'update'))
    const meta = a.v2 ? Y.parseUpdateMetaV2(u) : Y.parseUpdateMeta(u)
    return { from: svToObject(meta.from), to: svToObject(meta.to) }
  },

  decodeUpdate: a => {
    const u = unb64(need(a, 'update'))
    const { structs, ds } = a.v2 ? Y.decodeUpdateV2(u) : Y.decodeUpdate(u)
    return { structs: structs.map(renderStruct), ds: renderDeleteSet(ds) }
  },

  snapshot: a => {
    const { doc } = entry(need(a, 'doc'))
    return { snapshot: b64(Y.encodeSnapshot(Y.snapshot(doc))) }
  },

  relPos: a => {
    const { doc } = entry(need(a, 'doc'))
    const type = resolvePath(doc, need(a, 'path'))
    const rpos = Y.createRelativePositionFromTypeIndex(type, needInt(a, 'index'), a.assoc === undefined ? 0 : a.assoc)
    const json = Y.relativePositionToJSON(rpos)
    return {
      rpos: b64(Y.encodeRelativePosition(rpos)),
      json: { type: idJSON(json.type || null), tname: json.tname ?? null, item: idJSON(json.item || null), assoc: json.assoc ?? null }
    }
  },

  resolveRelPos: a => {
    const { doc } = entry(need(a, 'doc'))
    const rpos = Y.decodeRelativePosition(unb64(need(a, 'rpos')))
    const abs = Y.createAbsolutePositionFromRelativePosition(rpos, doc)
    if (abs === null) return { index: null, type: null, assoc: rpos.assoc }
    return { index: abs.index, type: pathOf(abs.type), assoc: abs.assoc }
  },

  observe: a => {
    const e = entry(need(a, 'doc'))
    const path = need(a, 'path')
    const key = 'shallow:' + JSON.stringify(path)
    if (!e.observed.has(key)) {
      resolvePath(e.doc, path).observe(event => recordEvent(e, event, false))
      e.observed.add(key)
    }
    return { ok: true }
  },

  observeDeep: a => {
    const e = entry(need(a, 'doc'))
    const path = need(a, 'path')
    const key = 'deep:' + JSON.stringify(path)
    if (!e.observed.has(key)) {
      resolvePath(e.doc, path).observeDeep(events => { for (const ev of events) recordEvent(e, ev, true) })
      e.observed.add(key)
    }
    return { ok: true }
  },

  events: a => {
    const e = entry(need(a, 'doc'))
    const events = e.events
    e.events = []
    return { events }
  },

  undoManager: a => {
    const e = entry(need(a, 'doc'))
    if (e.undo) e.undo.destroy()
    const paths = need(a, 'paths')
    if (!Array.isArray(paths) || paths.length === 0) throw new Error('"paths" must be a non-empty array of paths')
    const scope = paths.map(p => resolvePath(e.doc, p))
    e.undo = new Y.UndoManager(scope, {
      // 0 = every transaction is its own stack item; the default (500 ms) would depend on wall time.
      captureTimeout: a.captureTimeout === undefined ? 0 : a.captureTimeout,
      trackedOrigins: new Set(a.trackedOrigins === undefined ? [null] : a.trackedOrigins)
    })
    return { ok: true }
  },

  undo: a => {
    const e = entry(need(a, 'doc'))
    if (!e.undo) throw new Error('no undoManager on this doc')
    let item = null
    const update = captureUpdate(e.doc, () => { item = e.undo.undo() })
    return { ok: true, changed: item !== null, update }
  },

  redo: a => {
    const e = entry(need(a, 'doc'))
    if (!e.undo) throw new Error('no undoManager on this doc')
    let item = null
    const update = captureUpdate(e.doc, () => { item = e.undo.redo() })
    return { ok: true, changed: item !== null, update }
  },

  stopCapturing: a => {
    const e = entry(need(a, 'doc'))
    if (!e.undo) throw new Error('no undoManager on this doc')
    e.undo.stopCapturing()
    return { ok: true }
  },

  batch: a => {
    const requests = need(a, 'requests')
    if (!Array.isArray(requests)) throw new Error('"requests" must be an array')
    return { results: requests.map(handle) }
  }
}

/* ------------------------------------------------------------------ dispatch */

function handle (req) {
  const id = req !== null && typeof req === 'object' && 'id' in req ? req.id : null
  try {
    if (!isPlainObject(req)) throw new Error('request must be a JSON object')
    const fn = Object.hasOwn(ops, req.op) ? ops[req.op] : undefined
    if (!fn) throw new Error(`unknown op ${JSON.stringify(req.op)}`)
    return { id, ...fn(req) }
  } catch (err) {
    return { id, error: err && err.message ? err.message : String(err) }
  }
}

const send = obj => {
  let line
  try {
    line = JSON.stringify(obj)
  } catch (err) {
    line = JSON.stringify({ id: obj && obj.id !== undefined ? obj.id : null, error: 'cannot serialise response: ' + err.message })
  }
  // Writes to pipes and files are synchronous on Linux, so each line is flushed before the next read.
  process.stdout.write(line + '\n')
}

// The reader went away: nothing left to answer.
process.stdout.on('error', () => process.exit(0))

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false })
rl.on('line', line => {
  if (line.trim() === '') return
  let req
  try {
    req = JSON.parse(line)
  } catch (err) {
    send({ id: null, error: 'bad JSON: ' + err.message })
    return
  }
  send(handle(req))
})
