import { describe, expect, it } from 'vitest';
import { TokenStore, tokenRefused, type TokenStorage } from './session';

class MemoryStorage implements TokenStorage {
  readonly items = new Map<string, string>();
  failWrites = false;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.failWrites) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

describe('member tokens in this browser', () => {
  it('remember the token of the link per room, for the next tab or visit', () => {
    const local = new MemoryStorage();
    const store = new TokenStore([local]);
    const link = store.fromAddress('room1', '#token=eyJ.a%2Bb');
    expect(link).toEqual({ token: 'eyJ.a+b', fromHash: true });
    store.remember('room1', link.token!); // the server accepted it
    // a fresh page (another tab, a bookmark without the fragment) reads the same storage
    const later = new TokenStore([local]);
    expect(later.fromAddress('room1', '')).toEqual({ token: 'eyJ.a+b', fromHash: false });
    expect(later.fromAddress('room2', '')).toEqual({ token: null, fromHash: false });
  });

  it('use a link\'s token over the remembered one, and keep the remembered one if the link\'s is refused', () => {
    const local = new MemoryStorage();
    const store = new TokenStore([local]);
    store.remember('room1', 'good');
    expect(store.fromAddress('room1', '#x=1&token=mistyped').token).toBe('mistyped');
    store.forget('room1', 'mistyped');
    expect(store.get('room1')).toBe('good');
    store.remember('room1', 'newer');
    expect(store.get('room1')).toBe('newer');
  });

  it('forget a token the server refused, everywhere it was kept', () => {
    const local = new MemoryStorage();
    const tab = new MemoryStorage();
    tab.setItem('roomtone.token.room1', 'old-tab-token');
    local.setItem('roomtone.token.room1', 'token');
    const store = new TokenStore([local, tab]);
    store.forget('room1');
    expect(store.get('room1')).toBeNull();
    expect(local.items.size + tab.items.size).toBe(0);
    expect(tokenRefused('UNAUTHENTICATED')).toBe(true);
    expect(tokenRefused('FORBIDDEN')).toBe(false);
  });

  it('move a token kept only for the tab (older versions) into lasting storage', () => {
    const local = new MemoryStorage();
    const tab = new MemoryStorage();
    tab.setItem('roomtone.token.room1', 'tab-token');
    expect(new TokenStore([local, tab]).get('room1')).toBe('tab-token');
    expect(local.getItem('roomtone.token.room1')).toBe('tab-token');
  });

  it('fall back to the tab when lasting storage refuses, or is not there at all', () => {
    const local = new MemoryStorage();
    local.failWrites = true;
    const tab = new MemoryStorage();
    new TokenStore([local, tab]).remember('room1', 't');
    expect(tab.getItem('roomtone.token.room1')).toBe('t');
    const none = new TokenStore([null, tab]);
    expect(none.get('room1')).toBe('t');
  });
});
