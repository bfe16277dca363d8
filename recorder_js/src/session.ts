// Session id (first-party, shared by the site's tabs, new after 30 minutes without activity),
// window id (one per tab, survives navigations) and batch sequence numbers per (session, window).
// Storage that throws (privacy modes, sandboxed frames) falls back to memory.

const SESSION_KEY = 'sessiontape_session';
const WINDOW_KEY = 'sessiontape_window';
const SEQ_KEY = 'sessiontape_seq';
const LIVE_KEY = 'sessiontape_window_live';
const IDLE_MS = 30 * 60 * 1000;
const TOUCH_MS = 5000;

type StoreName = 'localStorage' | 'sessionStorage';
const memory: { [key: string]: string } = {};

function read(store: StoreName, key: string): string | null {
  try {
    return window[store].getItem(key);
  } catch {
    return memory[store + key] ?? null;
  }
}

function write(store: StoreName, key: string, value: string | null): void {
  try {
    if (value === null) window[store].removeItem(key);
    else window[store].setItem(key, value);
  } catch {
    if (value === null) delete memory[store + key];
    else memory[store + key] = value;
  }
}

function parse<T>(text: string | null): T | null {
  try {
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

export function randomHex(bytes: number): string {
  const a = crypto.getRandomValues(new Uint8Array(bytes));
  let s = '';
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) | 256).toString(16).slice(1);
  return s;
}

let sid = '';
let wid = '';

export const sessionId = (): string => sid;
export const windowId = (): string => wid;
let lastActive = 0;
let lastWrite = 0;

let watching = false;

/**
 * Loads or creates the ids. A tab's window id is claimed while a page of it is showing: a tab
 * opened by duplication or window.open() inherits sessionStorage with the claim still set, and
 * takes a window id of its own instead of writing batches under the other tab's numbers.
 */
export function start(): void {
  wid = read('sessionStorage', WINDOW_KEY) || '';
  if (!/^[0-9a-f]{16}$/.test(wid) || (read('sessionStorage', LIVE_KEY) && !watching))
    wid = randomHex(8);
  write('sessionStorage', WINDOW_KEY, wid);
  claim(true);
  if (!watching) {
    watching = true;
    addEventListener('pagehide', () => claim(false), true);
    addEventListener('pageshow', () => claim(true), true);
  }
  resume(Date.now());
}

function claim(on: boolean): void {
  write('sessionStorage', LIVE_KEY, on ? '1' : null);
}

/**
 * Adopts the stored session if it is still alive, else starts a new one; `leaving` runs first
 * when the id changes, while the old id is still current.
 */
function resume(t: number, leaving?: () => void): void {
  const stored = parse<{ id: string; lastActive: number }>(read('localStorage', SESSION_KEY));
  const next =
    stored && /^[0-9a-f]{32}$/.test(stored.id) && t - stored.lastActive < IDLE_MS
      ? stored.id
      : randomHex(16);
  if (leaving && next !== sid) leaving();
  sid = next;
  save(t);
}

function save(t: number): void {
  lastActive = lastWrite = t;
  write('localStorage', SESSION_KEY, JSON.stringify({ id: sid, lastActive: t }));
}

/** Forgets the session (opt-out, opt-in): the next start opens a new one. */
export function forget(): void {
  sid = '';
  write('localStorage', SESSION_KEY, null);
}

/**
 * Records user activity at time t. Returns true when the session changed (this tab was idle
 * for 30 minutes and no other tab kept the session alive): `leaving` has then run under the old
 * id (to seal what belongs to it), and the caller takes a new snapshot.
 */
export function activity(t: number, leaving: () => void): boolean {
  if (t - lastActive >= IDLE_MS) {
    const before = sid;
    resume(t, leaving);
    return sid !== before;
  }
  lastActive = t;
  if (t - lastWrite >= TOUCH_MS) save(t);
  return false;
}

/** The next batch number of this (session, window); persisted so navigations keep counting. */
export function nextSeq(): number {
  const stored = parse<{ session: string; window: string; seq: number }>(
    read('sessionStorage', SEQ_KEY),
  );
  const seq = stored && stored.session === sid && stored.window === wid ? stored.seq : 0;
  write('sessionStorage', SEQ_KEY, JSON.stringify({ session: sid, window: wid, seq: seq + 1 }));
  return seq;
}

export { read as readStore, write as writeStore };
