// Buffer -> batches (one envelope, one seq each) -> gzip -> POST, with retry, backoff and
// jitter; on page hide, a beacon plus a spill to sessionStorage that the tab's next page sends
// first. The collector stores each (session, window, seq) once, so resending is always safe.

import type { EventWithTime } from './schema.js';
import { optedOut } from './privacy.js';
import { nextSeq, readStore, sessionId, windowId, writeStore } from './session.js';
import { guard } from './util.js';

const PENDING_KEY = 'sessiontape_pending';
const MAX_EVENTS = 500;
const MAX_CHARS = 512 * 1024;
const KEEPALIVE_MAX = 60000;
const MAX_ATTEMPTS = 12;
/** Default memory cap: past this much unsent JSON, new events are counted and dropped. */
const MAX_QUEUED_CHARS = 4 * 1024 * 1024;
const MAX_RETRY_AFTER_MS = 5 * 60 * 1000;

/** A sealed batch: its URL, seq and JSON body never change, however often it is retried. */
interface Batch {
  u: string;
  q: number;
  b: string;
  c: number; // events in it
}
interface Entry extends Batch {
  n: number; // failed attempts
  k?: boolean; // beaconed
  done: () => void;
  p: Promise<void>;
}

let url = '';
let buf: string[] = [];
let chars = 0;
let queue: Entry[] = [];
let busy = false;
let retryTimer = 0;
let spilled = false;
let loaded = false;
let listening = false;
let queuedChars = 0;
let queueLimit = MAX_QUEUED_CHARS;
let dropped = 0;
/** Called once sending recovers after events were dropped: record the gap, resnapshot. */
let onRecovered: (droppedEvents: number) => void = () => {};

function entry(b: Batch): Entry {
  let done = () => {};
  const p = new Promise<void>((resolve) => (done = resolve));
  return { u: b.u, q: b.q, b: b.b, c: b.c || 0, n: 0, done, p };
}

/** Starts sending to `ingestUrl`; first picks up batches an earlier page of this tab left. */
export function start(
  ingestUrl: string,
  limit: number | undefined,
  recovered: (droppedEvents: number) => void,
): void {
  url = ingestUrl;
  queueLimit = limit || MAX_QUEUED_CHARS;
  onRecovered = recovered;
  if (!loaded) {
    loaded = true;
    try {
      const pending = JSON.parse(readStore('sessionStorage', PENDING_KEY) || '[]') as Batch[];
      queue = pending.map(entry).concat(queue);
      queuedChars = queue.reduce((sum, e) => sum + e.b.length, 0);
      spilled = queue.length > 0;
    } catch {
      /* corrupt spill: nothing to resend */
    }
  }
  if (!listening) {
    listening = true;
    const hide = guard(() => {
      if (document.visibilityState === 'hidden') onHide();
    });
    document.addEventListener('visibilitychange', hide, true);
    window.addEventListener('pagehide', guard(onHide), true);
    window.addEventListener('online', guard(retryNow), true);
  }
  pump();
}

/** Adds one event to the buffer (no-op when not sending); seals a batch at the size bound. */
export function push(event: EventWithTime): void {
  if (!url) return;
  if (queuedChars + chars >= queueLimit) {
    dropped++;
    return;
  }
  const s = JSON.stringify(event);
  buf.push(s);
  chars += s.length;
  if (buf.length >= MAX_EVENTS || chars >= MAX_CHARS) {
    seal();
    pump();
  }
}

/** Turns the buffer into one batch with the next seq of the current (session, window). */
export function seal(): void {
  if (!buf.length || !url) return;
  const seq = nextSeq();
  const body =
    '{"v":1,"session":"' + sessionId() + '","window":"' + windowId() + '","seq":' + seq +
    ',"events":[' + buf.join(',') + ']}';
  queue.push(entry({ u: url, q: seq, b: body, c: buf.length }));
  buf = [];
  chars = 0;
  queuedChars += body.length;
}

/** Sends what is buffered; resolves when every batch so far is acknowledged or failed for good. */
export function flush(): Promise<void> {
  seal();
  pump();
  return Promise.all(queue.map((e) => e.p)).then(() => {});
}

/** Stops taking events; what is buffered is still sent. */
export function stop(): void {
  seal();
  url = '';
  pump();
}

/** Opt-out: forget everything not yet sent, here and in sessionStorage. */
export function drop(): void {
  url = '';
  buf = [];
  chars = 0;
  queue.forEach((e) => e.done());
  queue = [];
  queuedChars = 0;
  dropped = 0;
  clearTimeout(retryTimer);
  retryTimer = 0;
  writeStore('sessionStorage', PENDING_KEY, null);
  spilled = false;
}

/** Discards a spill left by an earlier page (opted out before this page started). */
export function dropPending(): void {
  writeStore('sessionStorage', PENDING_KEY, null);
}

function persist(): void {
  writeStore(
    'sessionStorage',
    PENDING_KEY,
    queue.length ? JSON.stringify(queue.map((e) => ({ u: e.u, q: e.q, b: e.b, c: e.c }))) : null,
  );
  spilled = queue.length > 0;
}

function onHide(): void {
  if (optedOut()) return drop();
  seal();
  for (const e of queue) {
    if (e.k || e.b.length >= KEEPALIVE_MAX) continue;
    try {
      e.k = navigator.sendBeacon(e.u, e.b); // plain JSON: compression is async
    } catch {
      /* no beacon: the spill covers it */
    }
  }
  persist();
}

async function encode(body: string): Promise<BodyInit> {
  if (typeof CompressionStream === 'undefined') return body;
  const stream = new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function retryNow(): void {
  if (!retryTimer) return;
  clearTimeout(retryTimer);
  retryTimer = 0;
  pump();
}

/** Ms to wait as the server asked (Retry-After: seconds or an HTTP date), else -1. */
function retryAfter(res: Response): number {
  const value = res.headers.get('Retry-After');
  if (!value) return -1;
  const ms = /^\d+$/.test(value) ? +value * 1000 : Date.parse(value) - Date.now();
  return ms >= 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : -1;
}

function pump(): void {
  if (busy || retryTimer || !queue.length) return;
  busy = true;
  send(queue[0] as Entry).catch(() => {});
}

async function send(e: Entry): Promise<void> {
  let ok = false;
  let final = false;
  let wait = -1;
  const offline = navigator.onLine === false;
  try {
    if (offline) throw 0; // no attempt spent: wait for the 'online' event
    const body = await encode(e.b);
    if (optedOut()) throw drop(); // opted out (maybe in another tab): nothing more leaves
    const size = typeof body === 'string' ? body.length * 3 : (body as Uint8Array).byteLength;
    const res = await fetch(e.u, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      keepalive: size < KEEPALIVE_MAX,
      credentials: 'omit',
    });
    ok = res.ok;
    // 4xx other than timeout / rate limit will not get better by retrying.
    final = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    if (!ok) wait = retryAfter(res);
  } catch {
    /* network error: retry */
  }
  busy = false;
  if (queue[0] !== e) return pump(); // dropped meanwhile
  if (!offline) e.n++;
  if (ok || final || e.n >= MAX_ATTEMPTS) {
    queue.shift();
    queuedChars -= e.b.length;
    if (!ok) dropped += e.c; // given up: recorded as a gap once sending recovers
    e.done();
    if (spilled) persist();
    if (ok && dropped && queuedChars + chars < queueLimit / 2) {
      const count = dropped;
      dropped = 0;
      onRecovered(count);
    }
  } else {
    // Exponential backoff with jitter (1 s, 2 s, 4 s ... capped at 30 s), or what the server
    // asked for; offline, the 'online' event cuts the wait short.
    const backoff = Math.min(30000, 1000 * 2 ** Math.max(0, e.n - 1)) * (0.5 + Math.random() / 2);
    const delay = wait >= 0 ? wait : backoff;
    retryTimer = setTimeout(() => {
      retryTimer = 0;
      pump();
    }, delay) as unknown as number;
  }
  pump();
}
