/**
 * Member tokens live in sessionStorage, per room: the link's #token= fragment is moved there and
 * removed from the address bar so it does not end up in history or screenshots.
 */
const KEY = (roomId: string) => `roomtone.token.${roomId}`;

export function rememberToken(roomId: string, token: string): void {
  sessionStorage.setItem(KEY(roomId), token);
}

export function tokenFor(roomId: string): string | null {
  const fromHash = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (fromHash) {
    const token = decodeURIComponent(fromHash[1]);
    rememberToken(roomId, token);
    history.replaceState(null, '', location.pathname + location.search);
    return token;
  }
  return sessionStorage.getItem(KEY(roomId));
}
