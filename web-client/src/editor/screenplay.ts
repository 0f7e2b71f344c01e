import { EditorSelection, EditorState, Prec, StateEffect, StateField, type Extension, type Range } from '@codemirror/state';
import { Decoration, EditorView, keymap, type DecorationSet } from '@codemirror/view';
import { insertNewline } from '@codemirror/commands';
import { afterEnter, classify, cycleElement, type LineKind } from '../fountain';

interface Layout {
  kinds: LineKind[];
  decorations: DecorationSet;
}

const lineDecorations = new Map<LineKind, Decoration>();
function lineDecoration(kind: LineKind): Decoration {
  let d = lineDecorations.get(kind);
  if (!d) {
    d = Decoration.line({ class: `cm-fn-${kind}`, attributes: { 'data-kind': kind } });
    lineDecorations.set(kind, d);
  }
  return d;
}
const inlineNote = Decoration.mark({ class: 'cm-fn-inline-note' });
const inlineBoneyard = Decoration.mark({ class: 'cm-fn-inline-boneyard' });

function layout(state: EditorState): Layout {
  const doc = state.doc;
  const lines: string[] = [];
  for (let i = 1; i <= doc.lines; i++) lines.push(doc.line(i).text);
  const head = state.selection.main.head;
  const kinds = classify(lines, doc.lineAt(head).number - 1);
  // a line the writer set with Tab is that element while it holds only what Tab wrote (nothing,
  // "> ", "INT. "), even where Fountain could not tell yet
  const chosen = state.field(tabElement, false);
  if (chosen) {
    const line = doc.lineAt(chosen.from);
    if (line.text === chosen.text) kinds[line.number - 1] = chosen.kind;
  }
  const ranges: Range<Decoration>[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = doc.line(i + 1);
    ranges.push(lineDecoration(kinds[i]).range(line.from));
    if (kinds[i] === 'note' || kinds[i] === 'boneyard') continue;
    for (const m of line.text.matchAll(/\[\[.*?\]\]/g)) {
      ranges.push(inlineNote.range(line.from + m.index, line.from + m.index + m[0].length));
    }
    for (const m of line.text.matchAll(/\/\*.*?\*\//g)) {
      ranges.push(inlineBoneyard.range(line.from + m.index, line.from + m.index + m[0].length));
    }
  }
  return { kinds, decorations: Decoration.set(ranges, true) };
}

/**
 * The element the writer chose with Tab for the line the cursor is on, and the text Tab left there.
 * An empty line has no Fountain marker to tell a cue from action (a cue is just upper case), so
 * the choice lives here while the writer stays on the line; it is what the next Tab cycles from.
 */
interface TabElement {
  from: number;
  kind: LineKind;
  text: string;
}
const setTabElement = StateEffect.define<TabElement | null>();
const tabElement = StateField.define<TabElement | null>({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setTabElement)) return e.value;
    if (value === null) return null;
    const from = tr.changes.mapPos(value.from);
    const lineStart = tr.state.doc.lineAt(tr.state.selection.main.head).from;
    return lineStart === tr.state.doc.lineAt(from).from ? { ...value, from: lineStart } : null;
  },
});

/** The Fountain layout of the whole script, recomputed on every change (linear, cheap). */
export const screenplayLayout = StateField.define<Layout>({
  create: layout,
  update(value, tr) {
    if (!tr.docChanged && !tr.effects.some((e) => e.is(setTabElement))
      && tr.startState.doc.lineAt(tr.startState.selection.main.head).number
      === tr.state.doc.lineAt(tr.state.selection.main.head).number) return value;
    return layout(tr.state);
  },
  provide: (f) => EditorView.decorations.from(f, (l) => l.decorations),
});

export function kindAt(state: EditorState, pos: number): LineKind {
  return state.field(screenplayLayout).kinds[state.doc.lineAt(pos).number - 1] ?? 'action';
}

/** The element of the cursor's line, for the indicator: what Tab chose for an empty line counts. */
export function elementAt(state: EditorState): LineKind {
  return kindAt(state, state.selection.main.head);
}

const CAPS_KINDS: ReadonlySet<LineKind> = new Set(['scene', 'character', 'transition']);

const capitalise = EditorState.transactionFilter.of((tr) => {
  if (!tr.docChanged || !tr.isUserEvent('input.type')) return tr;
  const start = tr.startState;
  const head = start.selection.main.head;
  const line = start.doc.lineAt(head);
  const chosen = start.field(tabElement);
  const caps = (chosen?.from === line.from && CAPS_KINDS.has(chosen.kind)) || CAPS_KINDS.has(kindAt(start, head));
  if (!caps) return tr;
  let lower = false;
  tr.changes.iterChanges((_a, _b, _c, _d, text) => {
    if (/[a-z]/.test(text.toString())) lower = true;
  });
  if (!lower) return tr;
  const changes: { from: number; to: number; insert: string }[] = [];
  tr.changes.iterChanges((fromA, toA, _fromB, _toB, text) => {
    changes.push({ from: fromA, to: toA, insert: text.toString().toUpperCase() });
  });
  return { changes, selection: tr.selection, userEvent: 'input.type', scrollIntoView: true };
});

function enter(view: EditorView): boolean {
  const { state } = view;
  if (state.readOnly) return false;
  const sel = state.selection.main;
  if (!sel.empty) return false;
  const line = state.doc.lineAt(sel.head);
  if (sel.head !== line.to || line.text.trim() === '') return false;
  // the kind this line has once a line is being typed under it (a cue only becomes one then)
  const lines: string[] = [];
  for (let i = 1; i <= line.number; i++) lines.push(state.doc.line(i).text);
  lines.push('');
  const { breaks } = afterEnter(classify(lines, line.number)[line.number - 1]);
  const insert = '\n'.repeat(breaks);
  view.dispatch({
    changes: { from: sel.head, insert },
    selection: EditorSelection.cursor(sel.head + insert.length),
    userEvent: 'input',
    scrollIntoView: true,
  });
  return true;
}

function tab(view: EditorView): boolean {
  const { state } = view;
  if (state.readOnly) return false;
  const sel = state.selection.main;
  const line = state.doc.lineAt(sel.head);
  const kind = kindAt(state, sel.head);
  const next = cycleElement(kind, line.text);
  if (next.text === line.text && next.kind === kind && kind !== 'blank') return true;
  const cursor = next.kind === 'parenthetical' ? line.from + next.text.length - 1 : line.from + next.text.length;
  view.dispatch({
    changes: next.text === line.text ? [] : { from: line.from, to: line.to, insert: next.text },
    selection: EditorSelection.cursor(cursor),
    // remembered for the line while it has no text of its own to say what it is, and for capitals
    effects: setTabElement.of({ from: line.from, kind: next.kind, text: next.text }),
    userEvent: 'input',
    scrollIntoView: true,
  });
  return true;
}

/**
 * The screenplay editing extensions: layout, capitalised cues and headings, Enter and Tab as
 * screenwriters expect them. Shift-Enter is always a plain line break.
 */
export function screenplay(): Extension {
  return [
    tabElement,
    screenplayLayout,
    capitalise,
    Prec.high(keymap.of([
      { key: 'Enter', run: enter },
      { key: 'Shift-Enter', run: insertNewline },
      { key: 'Tab', run: tab },
    ])),
    EditorView.lineWrapping,
  ];
}

/** Read-only for viewers, and a message when they try to type instead of silence. */
export function readOnly(onBlocked: () => void): Extension {
  const blocked = (event: Event): boolean => {
    event.preventDefault();
    onBlocked();
    return true;
  };
  return [
    EditorState.readOnly.of(true),
    Prec.highest(EditorView.domEventHandlers({
      beforeinput: blocked,
      paste: blocked,
      drop: blocked,
      keydown: (event) => {
        if (event.key.length === 1 && !event.ctrlKey && !event.metaKey) return blocked(event);
        if (event.key === 'Enter' || event.key === 'Backspace' || event.key === 'Delete') return blocked(event);
        return false;
      },
    })),
  ];
}

/** Ranges of pending suggestions, highlighted where they are anchored. */
export interface Highlight {
  from: number;
  to: number;
  id: string;
}
export const setHighlights = StateEffect.define<Highlight[]>();
export const suggestionHighlights = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, tr) {
    value = value.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setHighlights)) {
        value = Decoration.set(
          e.value.filter((h) => h.to > h.from).map((h) =>
            Decoration.mark({ class: 'cm-suggestion-anchor', attributes: { 'data-suggestion': h.id } }).range(h.from, h.to)),
          true,
        );
      }
    }
    return value;
  },
  provide: (f) => EditorView.decorations.from(f),
});
