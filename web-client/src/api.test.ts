import { describe, expect, it } from 'vitest';
import { fileNameFor, filenameOf } from './api';

describe('the name an export is saved under', () => {
  it('is the RFC 5987 name when the server sends one, the plain one otherwise', () => {
    expect(filenameOf('attachment; filename="Harbour Lights - 101.pdf"; filename*=UTF-8\'\'Harbour%20Lights%20%E2%80%94%20101.pdf'))
      .toBe('Harbour Lights \u2014 101.pdf');
    expect(filenameOf('attachment; filename="Season 2.fdx"')).toBe('Season 2.fdx');
    expect(filenameOf('attachment; filename=pilot.fountain')).toBe('pilot.fountain');
    expect(filenameOf('attachment; filename="a \\"b\\".pdf"')).toBe('a "b".pdf');
    // a broken extended name does not hide the plain one
    expect(filenameOf('attachment; filename="x.pdf"; filename*=UTF-8\'\'%E2%80.pdf')).toBe('x.pdf');
    expect(filenameOf('attachment')).toBeNull();
    expect(filenameOf(null)).toBeNull();
  });

  it('falls back to the room name without characters a file system refuses', () => {
    expect(fileNameFor('Ep. 1/2: "Who?"', 'pdf')).toBe('Ep. 1 2 Who.pdf');
    expect(fileNameFor('  ', 'fdx')).toBe('script.fdx');
    expect(fileNameFor('Caf\u00e9 \u2014 Noir', 'fountain')).toBe('Caf\u00e9 \u2014 Noir.fountain');
  });
});
