import { describe, expect, it } from 'vitest';
import type { ApiMemberEntry, OpenInvite } from '../api';
import { connectionsText, expiryText, joinedText, reentryInvite, usable, usesText } from './people';

const NOW = Date.UTC(2025, 2, 10, 12, 0, 0);
const HOUR = 3_600_000;
const invite = (over: Partial<OpenInvite> = {}): OpenInvite =>
  ({ inviteId: 'i1', role: 'writer', expiresAt: NOW + 7 * 24 * HOUR, maxUses: 0, uses: 1, memberIds: ['ben'], ...over });
const members: ApiMemberEntry[] = [
  { memberId: 'maya', displayName: 'Maya Okafor', role: 'showrunner', connections: 2 },
  { memberId: 'ben', displayName: 'Ben Adler', role: 'writer', connections: 0 },
];

describe('an invite in the People dialog', () => {
  it('says when it expires, rounded, and when it has', () => {
    expect(expiryText(NOW + 7 * 24 * HOUR, NOW)).toBe('expires in 7 days');
    expect(expiryText(NOW + 72 * HOUR - 2_000, NOW)).toBe('expires in 3 days');
    expect(expiryText(NOW + 47 * HOUR, NOW)).toBe('expires in 47 hours');
    expect(expiryText(NOW + 2 * HOUR, NOW)).toBe('expires in 2 hours');
    expect(expiryText(NOW + 90 * 60_000, NOW)).toBe('expires in 90 minutes');
    expect(expiryText(NOW + 61_000, NOW)).toBe('expires in 1 minute');
    expect(expiryText(NOW + 5_000, NOW)).toBe('expires in 1 minute');
    expect(expiryText(NOW, NOW)).toBe('expired');
    expect(expiryText(NOW - HOUR, NOW)).toBe('expired');
  });

  it('counts its uses against the limit, 0 meaning none', () => {
    expect(usesText(2, 5)).toBe('2 of 5 uses');
    expect(usesText(0, 1)).toBe('0 of 1 use');
    expect(usesText(1, 0)).toBe('1 use, no limit');
    expect(usesText(3, 0)).toBe('3 uses, no limit');
  });

  it('names who joined with it, and counts who is gone', () => {
    expect(joinedText(invite(), members)).toBe('Joined: Ben Adler');
    expect(joinedText(invite({ memberIds: ['ben', 'x', 'y'] }), members)).toBe('Joined: Ben Adler, 2 no longer in the room');
    expect(joinedText(invite({ memberIds: [] }), members)).toBe('Nobody has joined with it yet');
  });

  it('can bring a member back only while it is usable', () => {
    expect(usable(invite(), NOW)).toBe(true);
    expect(usable(invite({ expiresAt: NOW }), NOW)).toBe(false);
    expect(usable(invite({ maxUses: 1, uses: 1 }), NOW)).toBe(false);
    expect(usable(invite({ maxUses: 3, uses: 1 }), NOW)).toBe(true);
    const open = invite({ inviteId: 'open' });
    expect(reentryInvite('ben', [invite({ inviteId: 'old', expiresAt: NOW - 1 }), open], NOW)).toBe(open);
    expect(reentryInvite('ben', [invite({ expiresAt: NOW - 1 })], NOW)).toBeUndefined();
    // the first showrunner made the room and joined with no invite
    expect(reentryInvite('maya', [open], NOW)).toBeUndefined();
  });
});

describe('a member in the People dialog', () => {
  it('shows how many connections they have open', () => {
    expect(connectionsText(0)).toBe('not connected');
    expect(connectionsText(1)).toBe('1 connection');
    expect(connectionsText(3)).toBe('3 connections');
  });
});
