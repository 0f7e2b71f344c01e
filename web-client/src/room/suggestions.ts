import { Suggestion_Status, type Suggestion } from '../gen/roomtone/v1/room_pb';

/**
 * What approving a suggestion does to the script, by task, as the server applies it: replace the
 * selection, insert after it, record it as a note without touching the script, or a storyboard
 * frame (kept beside the script).
 */
export type ApprovalMode = 'replace' | 'insert' | 'note' | 'image';

const MODES: Record<string, ApprovalMode> = {
  alternatives: 'replace',
  punch_up: 'replace',
  rewrite: 'replace',
  continue_scene: 'insert',
  beat_sheet: 'insert',
  outline: 'insert',
  scenes: 'insert',
  dialogue: 'insert',
  summarise: 'note',
  logline: 'note',
  storyboard_frame: 'image',
};

/** The approve button's label says what it will do. */
const APPROVE_LABEL: Record<ApprovalMode, string> = {
  replace: 'Replace selection',
  insert: 'Insert after selection',
  note: 'Approve as note \u2014 the script is not changed',
  image: 'Approve',
};

/** Undefined for a task this client does not know: the server decides what its approval does. */
export function approvalMode(task: string): ApprovalMode | undefined {
  return MODES[task];
}

export function approveLabel(task: string): string {
  const mode = MODES[task];
  return mode ? APPROVE_LABEL[mode] : 'Approve';
}

/**
 * The numbered alternatives in a proposal ("1. …", "2) …"), numbering removed, each ready to be
 * written into the script. Lines that follow a numbered line belong to it (an alternative may
 * span a cue and its dialogue); anything before the first number (a model's preamble) is dropped.
 * A proposal without numbering is one alternative.
 */
export function splitAlternatives(text: string): string[] {
  const items: string[][] = [];
  for (const line of text.split('\n')) {
    const numbered = /^\s*(?:\*\*)?\(?(\d{1,2})[.):](?:\*\*)?\s+(.*)$/.exec(line);
    if (numbered) {
      items.push([numbered[2]]);
    } else if (items.length) {
      items[items.length - 1].push(line);
    }
  }
  const out = (items.length ? items.map((lines) => lines.join('\n')) : [text]).map(tidy).filter((s) => s !== '');
  return out;
}

/** One alternative as it goes into the script: no surrounding blank lines or quotation marks. */
function tidy(s: string): string {
  let t = s.trim();
  const quoted = /^(["\u201c])([\s\S]*)(["\u201d])$/.exec(t);
  if (quoted && !/["\u201c\u201d]/.test(quoted[2])) t = quoted[2].trim();
  return t;
}

/** Pending suggestions first, newest first; then the decided ones, the latest decision first. */
export function ordered(list: Iterable<Suggestion>): Suggestion[] {
  const pending = (s: Suggestion) => s.status === Suggestion_Status.PENDING;
  return [...list].sort((a, b) => {
    if (pending(a) !== pending(b)) return pending(a) ? -1 : 1;
    const at = (s: Suggestion) => (pending(s) ? s.createdAt : s.decidedAt || s.createdAt);
    return Number(at(b) - at(a));
  });
}

/**
 * The text a card shows: what was written into the script once approved (the showrunner may have
 * edited it or picked one alternative), else the model's proposal.
 */
export function shownText(s: Suggestion): string {
  return s.status === Suggestion_Status.APPROVED && s.appliedText ? s.appliedText : s.proposedText;
}

/** What became of a finished request, for the card of the job that produced the suggestion. */
export function outcome(s: Suggestion | undefined, nameOf: (memberId: string) => string): string {
  if (!s) return 'Suggestion ready for the showrunner.';
  const by = s.decidedByMemberId ? ` by ${nameOf(s.decidedByMemberId)}` : '';
  switch (s.status) {
    case Suggestion_Status.PENDING:
      return 'Suggestion ready for the showrunner.';
    case Suggestion_Status.APPROVED:
      switch (approvalMode(s.task)) {
        case 'note': return `Approved${by} as a note; the script is unchanged.`;
        case 'insert': return `Approved${by} and inserted into the script.`;
        case 'replace': return `Approved${by} and written into the script.`;
        default: return `Approved${by}.`;
      }
    case Suggestion_Status.REJECTED:
      return `Rejected${by}.`;
    case Suggestion_Status.STALE:
      return 'Stale: the selected text changed before a decision, so it was not applied.';
    default:
      return 'Suggestion ready for the showrunner.';
  }
}
