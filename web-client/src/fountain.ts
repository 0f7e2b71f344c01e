/**
 * Fountain line classification for the screenplay layout and the scene navigator. The script
 * stays plain Fountain (https://fountain.io/syntax); this only decides how each line looks.
 */
export type LineKind =
  | 'blank'
  | 'scene'
  | 'action'
  | 'character'
  | 'parenthetical'
  | 'dialogue'
  | 'transition'
  | 'centered'
  | 'section'
  | 'synopsis'
  | 'note'
  | 'boneyard'
  | 'pagebreak'
  | 'lyric';

const SCENE = /^(?:INT|EXT|EST|INT\.?\/EXT|I\/E)[.\s]/i;
const TRANSITION = /^[A-Z0-9 .'-]+TO:$/;
// an all-caps name, optionally with an extension like (V.O.) or (CONT'D) and a dual-dialogue ^
const CHARACTER = /^[^a-z(]*[A-Z][^a-z(]*(?:\([^)]*\)\s*)*\^?$/;

function isBlank(line: string | undefined): boolean {
  return line === undefined || line.trim() === '';
}

/**
 * Classifies every line; lines are the document split on "\n". {@code typingLine} is the line the
 * cursor is on: when it is still empty it counts as the line being written, so a character cue
 * just typed already looks like one and the empty line under it is dialogue.
 */
export function classify(lines: readonly string[], typingLine = -1): LineKind[] {
  const kinds: LineKind[] = new Array(lines.length);
  let inBoneyard = false;
  let inNote = false;
  let inDialogue = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = raw.trim();
    const prevBlank = i === 0 || isBlank(lines[i - 1]);
    const next = i + 1 === typingLine && isBlank(lines[i + 1]) ? 'x' : lines[i + 1];

    if (inBoneyard) {
      kinds[i] = 'boneyard';
      if (line.includes('*/')) inBoneyard = false;
      continue;
    }
    if (line.startsWith('/*')) {
      kinds[i] = 'boneyard';
      inBoneyard = !line.slice(2).includes('*/');
      inDialogue = false;
      continue;
    }
    if (inNote) {
      kinds[i] = 'note';
      if (line.includes(']]')) inNote = false;
      continue;
    }
    if (line.startsWith('[[') ) {
      kinds[i] = 'note';
      inNote = !line.includes(']]');
      continue;
    }
    // two spaces alone keep a dialogue block going (Fountain's blank-line-inside-dialogue)
    if (raw === '  ' && inDialogue) {
      kinds[i] = 'dialogue';
      continue;
    }
    // the empty line under a cue or parenthetical that the writer is on: dialogue about to be typed
    if (line === '' && i === typingLine && inDialogue && (kinds[i - 1] === 'character' || kinds[i - 1] === 'parenthetical')) {
      kinds[i] = 'dialogue';
      continue;
    }
    if (line === '') {
      kinds[i] = 'blank';
      inDialogue = false;
      continue;
    }
    if (inDialogue) {
      kinds[i] = line.startsWith('(') ? 'parenthetical' : 'dialogue';
      continue;
    }
    if (line.startsWith('!')) {
      kinds[i] = 'action';
      continue;
    }
    if (/^={3,}$/.test(line)) {
      kinds[i] = 'pagebreak';
      continue;
    }
    if (line.startsWith('#')) {
      kinds[i] = 'section';
      continue;
    }
    if (line.startsWith('=')) {
      kinds[i] = 'synopsis';
      continue;
    }
    if (line.startsWith('~')) {
      kinds[i] = 'lyric';
      continue;
    }
    if (line.startsWith('>') && line.endsWith('<')) {
      kinds[i] = 'centered';
      continue;
    }
    if (line.startsWith('>')) {
      kinds[i] = 'transition';
      continue;
    }
    if (line.startsWith('.') && !line.startsWith('..')) {
      kinds[i] = 'scene';
      continue;
    }
    if (prevBlank && SCENE.test(line)) {
      kinds[i] = 'scene';
      continue;
    }
    if (prevBlank && isBlank(next) && TRANSITION.test(line)) {
      kinds[i] = 'transition';
      continue;
    }
    // a cue needs a blank line before and a line after (an empty line being typed counts)
    if (line.startsWith('@') || (prevBlank && CHARACTER.test(line) && !isBlank(next))) {
      kinds[i] = 'character';
      inDialogue = next !== undefined && !isBlank(next);
      continue;
    }
    kinds[i] = 'action';
  }
  return kinds;
}

export interface Scene {
  /** 0-based line number of the heading. */
  line: number;
  /** The heading as shown: forcing dot and scene number removed. */
  title: string;
  /** Scene number from "#12#" when the writer set one, else the running count. */
  number: string;
}

export function scenes(lines: readonly string[], kinds: readonly LineKind[] = classify(lines)): Scene[] {
  const out: Scene[] = [];
  kinds.forEach((kind, i) => {
    if (kind !== 'scene') return;
    let title = lines[i].trim();
    if (title.startsWith('.')) title = title.slice(1);
    const numbered = /\s*#([^#]+)#\s*$/.exec(title);
    if (numbered) title = title.slice(0, numbered.index);
    out.push({ line: i, title: title.toUpperCase(), number: numbered ? numbered[1] : String(out.length + 1) });
  });
  return out;
}

/** The kind a new line gets after Enter at the end of a line of this kind, and how many breaks. */
export function afterEnter(kind: LineKind): { breaks: number; next: LineKind } {
  switch (kind) {
    case 'character':
    case 'parenthetical':
      return { breaks: 1, next: 'dialogue' };
    case 'scene':
    case 'transition':
    case 'dialogue':
    case 'action':
    case 'centered':
      return { breaks: 2, next: 'action' };
    default:
      return { breaks: 1, next: 'action' };
  }
}

/**
 * Tab cycles a line through the elements a writer reaches for, rewriting its Fountain markers:
 * action → character → transition → scene heading → action; inside dialogue, dialogue ⇄ parenthetical.
 * Returns the new line text.
 */
export function cycleElement(kind: LineKind, text: string): { kind: LineKind; text: string } {
  const bare = text.replace(/^[!@>.]\s?/, '').replace(/<$/, '').trim();
  switch (kind) {
    case 'blank':
    case 'action':
      return { kind: 'character', text: bare.toUpperCase() };
    case 'character':
      return { kind: 'transition', text: '> ' + (bare || '').toUpperCase() };
    case 'transition':
      return { kind: 'scene', text: SCENE.test(bare) ? bare.toUpperCase() : bare ? '.' + bare.toUpperCase() : 'INT. ' };
    case 'scene':
      // a heading that is only the "INT. " Tab started goes back to an empty line of action
      if (/^(?:INT|EXT|EST|INT\.?\/EXT|I\/E)\.?$/i.test(bare)) return { kind: 'action', text: '' };
      return { kind: 'action', text: bare && (SCENE.test(bare) || CHARACTER.test(bare)) ? '!' + bare : bare };
    case 'dialogue':
      return { kind: 'parenthetical', text: '(' + bare.replace(/^\(|\)$/g, '') + ')' };
    case 'parenthetical':
      return { kind: 'dialogue', text: bare.replace(/^\(|\)$/g, '') };
    default:
      return { kind, text };
  }
}
