/** What the People dialog says about members and open invites (pure; the dialog itself is in room.ts). */
import type { ApiMemberEntry, OpenInvite } from '../api';

/** The roles a showrunner can give, in the order the role select lists them. */
export const ROLES = [
  { role: 'viewer', label: 'Viewer' },
  { role: 'writer', label: 'Writer' },
  { role: 'showrunner', label: 'Showrunner' },
] as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** When an invite stops working, as a person says it: "expires in 3 days", "expired". */
export function expiryText(expiresAt: number, now: number): string {
  const left = expiresAt - now;
  if (left <= 0) return 'expired';
  // rounded, so a fresh 3-day invite reads "3 days" a moment after it was made; below two days in
  // hours, below two hours in minutes, so "1 day" never stands for anything from 12 to 36 hours
  if (left >= 2 * DAY) return `expires in ${plural(Math.round(left / DAY), 'day')}`;
  if (left >= 2 * HOUR) return `expires in ${plural(Math.round(left / HOUR), 'hour')}`;
  return `expires in ${plural(Math.max(1, Math.round(left / MINUTE)), 'minute')}`;
}

/** How much of an invite is used: "2 of 5 uses", or "2 uses, no limit" (maxUses 0 is unlimited). */
export function usesText(uses: number, maxUses: number): string {
  return maxUses > 0 ? `${uses} of ${plural(maxUses, 'use')}` : `${plural(uses, 'use')}, no limit`;
}

/** Whether someone can still join with the invite: not expired and not used up. */
export function usable(invite: OpenInvite, now: number): boolean {
  return invite.expiresAt > now && (invite.maxUses === 0 || invite.uses < invite.maxUses);
}

/**
 * The invite a member joined with, when it could still bring them back after they are removed
 * (the server keeps it open: removing a member does not end it).
 */
export function reentryInvite(memberId: string, invites: readonly OpenInvite[], now: number): OpenInvite | undefined {
  return invites.find((i) => i.memberIds.includes(memberId) && usable(i, now));
}

/** Who joined with an invite, by name; members no longer in the room are counted, not named. */
export function joinedText(invite: OpenInvite, members: readonly ApiMemberEntry[]): string {
  const names: string[] = [];
  let gone = 0;
  for (const id of invite.memberIds) {
    const m = members.find((x) => x.memberId === id);
    if (m) names.push(m.displayName);
    else gone++;
  }
  if (gone) names.push(`${gone} no longer in the room`);
  return names.length ? `Joined: ${names.join(', ')}` : 'Nobody has joined with it yet';
}

/** A member's open connections (tabs, devices): "not connected", "1 connection". */
export function connectionsText(n: number): string {
  return n === 0 ? 'not connected' : plural(n, 'connection');
}
