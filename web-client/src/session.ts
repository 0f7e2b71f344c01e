/**
 * Member tokens, remembered per room in this browser's localStorage so a new tab, a bookmark of
 * /rooms/{id} or the next day's visit finds the member signed in. A link's #token= fragment is
 * taken out of the address bar (so it does not end up in history or screenshots) and remembered
 * once the server has accepted it, so a mistyped link does not sign out the member already
 * remembered. A token the server refuses for good (expired, invalid, member removed) is forgotten.
 */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KEY = (roomId: string) => `roomtone.token.${roomId}`;

/** localStorage, or nothing where the browser refuses it (private modes, storage disabled). */
function persistent(): TokenStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Where tokens were kept before they were remembered across tabs; still read, then moved. */
function perTab(): TokenStorage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/** The tokens of one browser, by room. */
export class TokenStore {
  constructor(private readonly stores: readonly (TokenStorage | null)[] = [persistent(), perTab()]) {}

  remember(roomId: string, token: string): void {
    for (const store of this.stores) {
      try {
        store?.setItem(KEY(roomId), token);
        return;
      } catch {
        // full or refused: try the next store, so at least this tab stays signed in
      }
    }
  }

  get(roomId: string): string | null {
    for (const [i, store] of this.stores.entries()) {
      const token = store?.getItem(KEY(roomId));
      if (!token) continue;
      if (i > 0) this.remember(roomId, token);
      return token;
    }
    return null;
  }

  /** Forgets the room's token; only {@code token} when given, so a refused link leaves the remembered one. */
  forget(roomId: string, token?: string): void {
    for (const store of this.stores) {
      if (token === undefined || store?.getItem(KEY(roomId)) === token) store?.removeItem(KEY(roomId));
    }
  }

  /**
   * The token for a room page: the address's #token= wins (the caller remembers it once the
   * server accepts it); without one, the remembered token.
   */
  fromAddress(roomId: string, hash: string): { token: string | null; fromHash: boolean } {
    const m = /(?:^#|&)token=([^&]+)/.exec(hash);
    if (m) return { token: decodeURIComponent(m[1]), fromHash: true };
    return { token: this.get(roomId), fromHash: false };
  }
}

const tokens = new TokenStore();

export function rememberToken(roomId: string, token: string): void {
  tokens.remember(roomId, token);
}

export function forgetToken(roomId: string, token: string): void {
  tokens.forget(roomId, token);
}

/** The member token for this room page; takes it out of the address bar if it came in the link. */
export function tokenFor(roomId: string): string | null {
  const { token, fromHash } = tokens.fromAddress(roomId, location.hash);
  if (fromHash) history.replaceState(null, '', location.pathname + location.search);
  return token;
}

/** Whether a server refusal means this token will never work again, so it should be forgotten. */
export function tokenRefused(code: string): boolean {
  return code === 'UNAUTHENTICATED';
}
