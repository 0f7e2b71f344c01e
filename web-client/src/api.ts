/** The REST API (JSON): create a room, join with an invite, manage invites and members; export the script as a file. */

export interface ApiMember {
  memberId: string;
  displayName: string;
  role: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  let e: { code?: string; message?: string } = {};
  try {
    e = JSON.parse(await response.text()) ?? {};
  } catch {
    // not JSON
  }
  return new ApiError(response.status, e.code ?? `HTTP_${response.status}`, e.message ?? `The server answered ${response.status}.`);
}

async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'UNREACHABLE', 'The server cannot be reached. Check the connection and try again.');
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: handled below
  }
  if (!response.ok) {
    const e = (json ?? {}) as { code?: string; message?: string };
    throw new ApiError(response.status, e.code ?? `HTTP_${response.status}`,
      e.message ?? `The server answered ${response.status}.`);
  }
  return json as T;
}

export interface RoomCreated {
  roomId: string;
  name: string;
  member: ApiMember;
  token: string;
  link: string;
}

export function createRoom(name: string, showrunnerName: string): Promise<RoomCreated> {
  return call('POST', '/api/rooms', { name, showrunnerName });
}

export interface Joined {
  roomId: string;
  member: ApiMember;
  token: string;
  link: string;
}

export function join(code: string, displayName: string): Promise<Joined> {
  return call('POST', '/api/join', { code, displayName });
}

export interface InvitePreview {
  roomId: string;
  roomName: string;
  role: string;
  expiresAt: number;
}

/** Where an invite leads (room and role), checked as joining would check it, without using it. */
export function previewInvite(code: string): Promise<InvitePreview> {
  return call('POST', '/api/join/preview', { code });
}

export interface Invite {
  inviteId: string;
  code: string;
  role: string;
  expiresAt: number;
  link: string;
}

export function createInvite(roomId: string, token: string, role: string): Promise<Invite> {
  return call('POST', `/api/rooms/${encodeURIComponent(roomId)}/invites`, { role }, token);
}

/** The room's new name (showrunners only). */
export function renameRoom(roomId: string, token: string, name: string): Promise<{ roomId: string; name: string }> {
  return call('PUT', `/api/rooms/${encodeURIComponent(roomId)}`, { name }, token);
}

/** A member's new display name: their own, or anyone's for a showrunner. */
export function renameMember(roomId: string, token: string, memberId: string, displayName: string): Promise<ApiMember> {
  return call('PUT', `/api/rooms/${encodeURIComponent(roomId)}/members/${encodeURIComponent(memberId)}/name`, { displayName }, token);
}

/** A member as the member list shows them, with their open connections (tabs, devices). */
export interface ApiMemberEntry extends ApiMember {
  connections: number;
}

/** An invite that can still be revoked (expired and used-up ones too), never its secret. */
export interface OpenInvite {
  inviteId: string;
  role: string;
  expiresAt: number;
  /** 0: no limit */
  maxUses: number;
  uses: number;
  /** the members in the room who joined with it */
  memberIds: string[];
}

const roomPath = (roomId: string) => `/api/rooms/${encodeURIComponent(roomId)}`;

export async function listMembers(roomId: string, token: string): Promise<ApiMemberEntry[]> {
  return (await call<{ members: ApiMemberEntry[] }>('GET', `${roomPath(roomId)}/members`, undefined, token)).members;
}

/** A showrunner's: the server refuses to demote the last showrunner. */
export function changeRole(roomId: string, token: string, memberId: string, role: string): Promise<ApiMember> {
  return call('PUT', `${roomPath(roomId)}/members/${encodeURIComponent(memberId)}/role`, { role }, token);
}

/** A showrunner's: the member's connections close and their token stops working (their invite stays open). */
export async function removeMember(roomId: string, token: string, memberId: string): Promise<void> {
  await call('DELETE', `${roomPath(roomId)}/members/${encodeURIComponent(memberId)}`, undefined, token);
}

export async function listInvites(roomId: string, token: string): Promise<OpenInvite[]> {
  return (await call<{ invites: OpenInvite[] }>('GET', `${roomPath(roomId)}/invites`, undefined, token)).invites;
}

/** Nobody can join with the invite any more; who already joined stays. */
export async function revokeInvite(roomId: string, token: string, inviteId: string): Promise<void> {
  await call('DELETE', `${roomPath(roomId)}/invites/${encodeURIComponent(inviteId)}`, undefined, token);
}

/** The invite code in a pasted link ("…/join#code=ROOM.INVITE.SECRET") or a bare code. */
export function inviteCode(input: string): string {
  const s = input.trim();
  const m = /[#?&]code=([^&\s]+)/.exec(s);
  return m ? decodeURIComponent(m[1]) : s;
}

/** The formats the room offers for download, as the export endpoint names them. */
export const EXPORT_FORMATS = [
  { format: 'pdf', label: 'PDF (industry format)' },
  { format: 'fdx', label: 'Final Draft (.fdx)' },
  { format: 'fountain', label: 'Fountain (.fountain)' },
] as const;

export interface ExportedFile {
  blob: Blob;
  /** The name the server gave it (the room's name), or {@code fallback} when it gave none. */
  filename: string;
}

/** The room's script as a file: GET /api/rooms/{id}/export with the member's token in the header. */
export async function exportScript(roomId: string, token: string, format: string, fallback: string): Promise<ExportedFile> {
  let response: Response;
  try {
    response = await fetch(`/api/rooms/${encodeURIComponent(roomId)}/export?format=${encodeURIComponent(format)}`,
      { headers: { Authorization: `Bearer ${token}` } });
  } catch {
    throw new ApiError(0, 'UNREACHABLE', 'The server cannot be reached. Check the connection and try again.');
  }
  if (!response.ok) throw await errorOf(response);
  return { blob: await response.blob(), filename: filenameOf(response.headers.get('Content-Disposition')) ?? fallback };
}

/**
 * The file name in a Content-Disposition header: RFC 5987's {@code filename*=UTF-8''…} when there
 * is one (the name as the room has it), else the plain {@code filename="…"}.
 */
export function filenameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]);
    } catch {
      // malformed: the plain name below
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(disposition);
  if (!plain) return null;
  return plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2];
}

/** A file name from a room's name, for when the server gave none: no characters a file system refuses. */
export function fileNameFor(roomName: string, extension: string): string {
  const base = roomName.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim()
    .replace(/^\.+/, '').replace(/[. ]+$/, '');
  return `${base || 'script'}.${extension}`;
}
