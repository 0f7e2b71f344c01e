/** The REST API (JSON): create a room, join with an invite, create invites. */

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

/** The invite code in a pasted link ("…/join#code=ROOM.INVITE.SECRET") or a bare code. */
export function inviteCode(input: string): string {
  const s = input.trim();
  const m = /[#?&]code=([^&\s]+)/.exec(s);
  return m ? decodeURIComponent(m[1]) : s;
}
