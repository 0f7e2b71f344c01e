import { describe, expect, it } from 'vitest';
import { create } from '@bufbuild/protobuf';
import { SuggestionSchema, Suggestion_Status, type Suggestion } from '../gen/roomtone/v1/room_pb';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { approvalMode, approveLabel, ordered, outcome, shownText, splitAlternatives } from './suggestions';

const suggestion = (id: string, status: Suggestion_Status, createdAt: number, decidedAt = 0, more: Omit<MessageInitShape<typeof SuggestionSchema>, '$typeName'> = {}): Suggestion =>
  create(SuggestionSchema, { suggestionId: id, task: 'punch_up', status, createdAt: BigInt(createdAt), decidedAt: BigInt(decidedAt), ...more });

describe('what approving does, by task', () => {
  it('replaces, inserts or only notes, as the server applies it, and the button says which', () => {
    for (const task of ['alternatives', 'punch_up', 'rewrite']) {
      expect(approvalMode(task)).toBe('replace');
      expect(approveLabel(task)).toBe('Replace selection');
    }
    for (const task of ['continue_scene', 'beat_sheet', 'outline', 'scenes', 'dialogue']) {
      expect(approvalMode(task)).toBe('insert');
      expect(approveLabel(task)).toBe('Insert after selection');
    }
    for (const task of ['summarise', 'logline']) {
      expect(approvalMode(task)).toBe('note');
      expect(approveLabel(task)).toBe('Approve as note \u2014 the script is not changed');
    }
    expect(approveLabel('storyboard_frame')).toBe('Approve');
    expect(approvalMode('a_future_task')).toBeUndefined();
    expect(approveLabel('a_future_task')).toBe('Approve');
  });
});

describe('splitAlternatives', () => {
  it('gives each numbered alternative without its number, dropping a preamble', () => {
    expect(splitAlternatives('Here are three options:\n1. Kitchen\u2019s closed.\n2) We\u2019re shut, pal.\n3. Try the pier.\n'))
      .toEqual(['Kitchen\u2019s closed.', 'We\u2019re shut, pal.', 'Try the pier.']);
  });

  it('keeps the lines under a number with it, and strips quotes around a whole alternative', () => {
    expect(splitAlternatives('1. "Closed."\n\n2. MAYA\n(flat)\nWe\u2019re closed.\n'))
      .toEqual(['Closed.', 'MAYA\n(flat)\nWe\u2019re closed.']);
    // quotation marks inside the line stay
    expect(splitAlternatives('1. He says "no" twice.')).toEqual(['He says "no" twice.']);
  });

  it('treats a proposal without numbers as one alternative, and ignores empty ones', () => {
    expect(splitAlternatives('  We lock up at midnight.\n')).toEqual(['We lock up at midnight.']);
    expect(splitAlternatives('1. \n2. Fine.')).toEqual(['Fine.']);
    expect(splitAlternatives('')).toEqual([]);
  });

  it('does not mistake a number inside a line for a new alternative', () => {
    expect(splitAlternatives('1. It is 1. a.m. already.\n2. Past 12.')).toEqual(['It is 1. a.m. already.', 'Past 12.']);
  });
});

describe('the suggestions list', () => {
  it('puts pending ones first, newest first, then decided ones, latest decision first', () => {
    const list = [
      suggestion('old-pending', Suggestion_Status.PENDING, 100),
      suggestion('approved-early', Suggestion_Status.APPROVED, 50, 300),
      suggestion('new-pending', Suggestion_Status.PENDING, 200),
      suggestion('rejected-late', Suggestion_Status.REJECTED, 60, 400),
      suggestion('stale', Suggestion_Status.STALE, 70, 0),
    ];
    expect(ordered(list).map((s) => s.suggestionId)).toEqual(['new-pending', 'old-pending', 'rejected-late', 'approved-early', 'stale']);
  });

  it('shows what was written once approved, the proposal before', () => {
    const pending = suggestion('a', Suggestion_Status.PENDING, 1, 0, { proposedText: 'noise noise' });
    expect(shownText(pending)).toBe('noise noise');
    const approved = suggestion('a', Suggestion_Status.APPROVED, 1, 2, { proposedText: 'noise noise', appliedText: 'We lock up at midnight.' });
    expect(shownText(approved)).toBe('We lock up at midnight.');
    // a note writes nothing: its text is the proposal
    expect(shownText(suggestion('n', Suggestion_Status.APPROVED, 1, 2, { task: 'logline', proposedText: 'A diner owner…' }))).toBe('A diner owner…');
  });

  it('tells the requester what became of their request', () => {
    const name = (id: string) => (id === 'maya' ? 'Maya' : 'someone');
    expect(outcome(undefined, name)).toBe('Suggestion ready for the showrunner.');
    expect(outcome(suggestion('a', Suggestion_Status.PENDING, 1), name)).toBe('Suggestion ready for the showrunner.');
    expect(outcome(suggestion('a', Suggestion_Status.APPROVED, 1, 2, { decidedByMemberId: 'maya' }), name))
      .toBe('Approved by Maya and written into the script.');
    expect(outcome(suggestion('a', Suggestion_Status.APPROVED, 1, 2, { decidedByMemberId: 'maya', task: 'summarise' }), name))
      .toBe('Approved by Maya as a note; the script is unchanged.');
    expect(outcome(suggestion('a', Suggestion_Status.REJECTED, 1, 2, { decidedByMemberId: 'maya' }), name)).toBe('Rejected by Maya.');
    expect(outcome(suggestion('a', Suggestion_Status.STALE, 1), name)).toMatch(/^Stale/);
  });
});
