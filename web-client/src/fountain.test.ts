import { describe, expect, it } from 'vitest';
import { afterEnter, classify, cycleElement, scenes } from './fountain';

const kinds = (text: string, typingLine = -1) => classify(text.split('\n'), typingLine);

describe('classify', () => {
  it('lays out a scene: heading, action, cue, parenthetical, dialogue, transition', () => {
    const script = [
      'INT. HARBOUR DINER - NIGHT',
      '',
      'Rain hammers the windows.',
      '',
      'MAYA (V.O.)',
      '(not looking up)',
      'We close at midnight.',
      '',
      'CUT TO:',
      '',
      'EXT. PIER - CONTINUOUS',
    ].join('\n');
    expect(kinds(script)).toEqual([
      'scene', 'blank', 'action', 'blank', 'character', 'parenthetical', 'dialogue', 'blank', 'transition', 'blank', 'scene',
    ]);
  });

  it('needs a blank line before a scene heading and a cue', () => {
    expect(kinds('He turns.\nINT. KITCHEN - DAY')).toEqual(['action', 'action']);
    expect(kinds('He turns.\nMAYA\nHello.')).toEqual(['action', 'action', 'action']);
  });

  it('keeps an all-caps line with nothing under it as action (a shout, not a cue)', () => {
    expect(kinds('\nBANG!\n\nThe glass breaks.')).toEqual(['blank', 'action', 'blank', 'action']);
  });

  it('honours forced elements', () => {
    expect(kinds('.FLASHBACK')).toEqual(['scene']);
    expect(kinds('!INT. NOT A HEADING')).toEqual(['action']);
    expect(kinds('@McCLANE\nYippee.')).toEqual(['character', 'dialogue']);
    expect(kinds('> FADE OUT.')).toEqual(['transition']);
    expect(kinds('> THE END <')).toEqual(['centered']);
    expect(kinds('# ACT ONE\n= She finds the letter.\n===')).toEqual(['section', 'synopsis', 'pagebreak']);
  });

  it('dims notes and boneyard, also across lines, and goes back to normal after them', () => {
    expect(kinds('[[fix this]]\n/* cut:\nINT. OLD SCENE - DAY\n*/\n\nMAYA\nHi.')).toEqual([
      'note', 'boneyard', 'boneyard', 'boneyard', 'blank', 'character', 'dialogue',
    ]);
    expect(kinds('[[a note\nthat goes on]]\nAction.')).toEqual(['note', 'note', 'action']);
  });

  it('keeps dialogue going across a line of two spaces', () => {
    expect(kinds('\nMAYA\nFirst.\n  \nSecond.')).toEqual(['blank', 'character', 'dialogue', 'dialogue', 'dialogue']);
  });

  it('treats the empty line the writer is on under a cue as the dialogue being typed', () => {
    expect(kinds('\nMAYA\n', 2)).toEqual(['blank', 'character', 'dialogue']);
    // elsewhere an empty line stays blank, and a cue with nothing under it is action
    expect(kinds('\nMAYA\n')).toEqual(['blank', 'action', 'blank']);
    expect(kinds('\nMAYA\nHi.\n\nThe door.', 3)).toEqual(['blank', 'character', 'dialogue', 'blank', 'action']);
  });
});

describe('scenes', () => {
  it('lists headings with running or explicit numbers, without the forcing dot', () => {
    const lines = 'INT. DINER - NIGHT\n\nAction.\n\n.flashback #12A#\n\nEXT. PIER - DAY'.split('\n');
    expect(scenes(lines)).toEqual([
      { line: 0, title: 'INT. DINER - NIGHT', number: '1' },
      { line: 4, title: 'FLASHBACK', number: '12A' },
      { line: 6, title: 'EXT. PIER - DAY', number: '3' },
    ]);
  });
});

describe('keys', () => {
  it('Enter after a cue or parenthetical goes to dialogue; after other elements starts a new paragraph', () => {
    expect(afterEnter('character')).toEqual({ breaks: 1, next: 'dialogue' });
    expect(afterEnter('parenthetical')).toEqual({ breaks: 1, next: 'dialogue' });
    expect(afterEnter('scene')).toEqual({ breaks: 2, next: 'action' });
    expect(afterEnter('dialogue')).toEqual({ breaks: 2, next: 'action' });
  });

  it('Tab cycles action → character → transition → scene heading → action', () => {
    let el = cycleElement('action', 'maya');
    expect(el).toEqual({ kind: 'character', text: 'MAYA' });
    el = cycleElement(el.kind, el.text);
    expect(el).toEqual({ kind: 'transition', text: '> MAYA' });
    el = cycleElement(el.kind, el.text);
    expect(el).toEqual({ kind: 'scene', text: '.MAYA' });
    el = cycleElement(el.kind, el.text);
    expect(el).toEqual({ kind: 'action', text: '!MAYA' });
    expect(classify([el.text])).toEqual(['action']);
  });

  it('Tab on an empty line prepares a cue, then a transition, then a heading, then action again', () => {
    let el = cycleElement('blank', '');
    expect(el).toEqual({ kind: 'character', text: '' });
    el = cycleElement(el.kind, el.text);
    expect(el).toEqual({ kind: 'transition', text: '> ' });
    el = cycleElement(el.kind, el.text);
    expect(el).toEqual({ kind: 'scene', text: 'INT. ' });
    el = cycleElement(el.kind, el.text);
    expect(el).toEqual({ kind: 'action', text: '' });
  });

  it('Tab toggles dialogue and parenthetical', () => {
    expect(cycleElement('dialogue', 'beat')).toEqual({ kind: 'parenthetical', text: '(beat)' });
    expect(cycleElement('dialogue', '')).toEqual({ kind: 'parenthetical', text: '()' });
    expect(cycleElement('parenthetical', '(beat)')).toEqual({ kind: 'dialogue', text: 'beat' });
  });
});
