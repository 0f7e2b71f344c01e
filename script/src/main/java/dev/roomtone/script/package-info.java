/**
 * The shared screenplay document: a Yjs-compatible CRDT (in dev.roomtone.script.crdt) and the
 * screenplay formats.
 */
package dev.roomtone.script;
