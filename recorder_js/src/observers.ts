// User interaction: mouse/touch moves (sampled, batched), clicks and other interactions,
// scroll (throttled per target), viewport size, input (one event per keystroke and per value set
// by script), media play/pause/seek/volume, named keys, address changes of a single-page app.
// Listeners are passive, capture-phase on the document (and on each watched frame document and
// shadow root), and guarded. Nothing is recorded from inside a blocked element: no position, no
// click, no key, no scroll, no media event.

import {
  EventType,
  IncrementalSource,
  MediaInteractions,
  MouseInteractions,
  type Event as StEvent,
  type MouseInteractionData,
  type MousePosition,
} from './schema.js';
import { closestId, getId } from './mirror.js';
import { Ctx, contextOf, fieldValue, isPrivateField } from './privacy.js';
import { closedRootOf } from './remember.js';
import { redactUrl } from './urls.js';
import { guard, now, on, patch, type Off } from './util.js';

type Emit = (type: StEvent['type'], data: StEvent['data']) => void;

export interface ObserverOptions {
  /** Minimum ms between two recorded mouse/touch positions (default 50). */
  mousemoveSampleMs: number;
  /** Minimum ms between two scroll events of one target (default 100); the last one is kept. */
  scrollThrottleMs: number;
}

/** Event types in MouseInteractions order (8, TouchMove_Departed, has no event). */
const INTERACTIONS =
  'mouseup mousedown click contextmenu dblclick focus blur touchstart - touchend touchcancel'.split(' ');
/** Event types in MediaInteractions order. */
const MEDIA = 'play pause seeked volumechange ratechange'.split(' ');
const NAMED_KEYS = /^(Enter|Tab|Escape|Backspace)$/;
const MOVE_FLUSH_MS = 500;

let emit: Emit = () => {};
let opts: ObserverOptions = { mousemoveSampleMs: 50, scrollThrottleMs: 100 };
let offs: Off[] = [];
let moves: MousePosition[] = [];
let moveSource: IncrementalSource.MouseMove | IncrementalSource.TouchMove = IncrementalSource.MouseMove;
let lastMove = 0;
/** The latest position the sampling skipped: kept if no other follows, so the pointer ends right. */
let skipped: MousePosition | null = null;
let moveTimer = 0;
let flushTimer: () => void = () => {};
/** Throttled work waiting for the end of its window, by target: its timer and the work. */
const pending = new Map<object, [number, () => void]>();
let lastInput = new WeakMap<Element, string>();
/** The scroll position last sent per target ("x,y"). */
let lastScroll = new WeakMap<Node, string>();
let width = 0;
let height = 0;
/** The page address last recorded (redacted). */
let href = '';

export function start(fn: Emit, o: ObserverOptions): void {
  emit = fn;
  opts = o;
  lastInput = new WeakMap();
  lastScroll = new WeakMap();
  width = window.innerWidth;
  height = window.innerHeight;
  flushTimer = guard(() => flushMoves(true));
  offs.push(
    on(window, 'resize', () => throttle(window, emitResize)),
    on(window, 'popstate', navigated),
    on(window, 'hashchange', navigated),
    patch(History.prototype, 'pushState', navigated),
    patch(History.prototype, 'replaceState', navigated),
  );
}

/** The page's address as it may be recorded (secret parameters redacted), remembered. */
export function pageHref(): string {
  return (href = redactUrl(location.href));
}

/**
 * A single-page app changed the address (history.pushState/replaceState, back/forward, a new
 * hash): a Custom `navigation` event carries the new one. Not a Meta event: rrweb's Replayer
 * takes a Meta event as the start of a full snapshot and would drop everything before it.
 */
export function navigated(): void {
  if (redactUrl(location.href) === href) return;
  flushMoves(); // the positions so far belong to the page before
  emit(EventType.Custom, { tag: 'navigation', payload: { href: pageHref() } });
}

/**
 * Listens on a document (the page's, or a same-origin frame's), or on a shadow root, where only
 * the events that do not cross its boundary are needed (the document sees the composed ones).
 * Called once per root and recording (roots.ts).
 */
export function watch(root: Document | ShadowRoot): void {
  const all = root.nodeType === 9;
  offs.push(
    on(root, 'scroll', (e) => throttle(e.target as Node, emitScroll)),
    on(root, 'change', (e) => changed(target(e))),
  );
  MEDIA.forEach((type) => offs.push(on(root, type, media)));
  if (!all) return;
  offs.push(
    on(root, 'mousemove', move),
    on(root, 'touchmove', move),
    on(root, 'input', (e) => changed(target(e))),
    on(root, 'keydown', key),
  );
  INTERACTIONS.forEach((type) => offs.push(on(root, type, interact)));
}

/** The node an event happened on, inside open shadow roots too. */
function target(e: Event): Element {
  return (e.composedPath ? e.composedPath()[0] : e.target) as Element;
}

/** True for a node the recording does not show: not recorded at all, or inside a blocked element. */
function unseen(n: Node, id: number): boolean {
  return id < 0 || !!(contextOf(n) & Ctx.Block);
}

/**
 * For a pointer event on the host of a closed shadow root: true when the point falls on a blocked
 * element inside the root (through nested roots), or on nothing the root can name.
 */
function blockedWithin(host: Element, x: number, y: number): boolean {
  let el = host;
  let root: ShadowRoot | null | undefined = closedRootOf(host);
  while (root) {
    const inner = root.elementFromPoint(x, y);
    if (inner === el) break; // the host's own box
    if (!inner || !root.contains(inner)) return true;
    el = inner;
    root = closedRootOf(el) || el.shadowRoot;
  }
  return !!(contextOf(el) & Ctx.Block);
}

export function stop(): void {
  flushPending();
  offs.forEach((off) => off());
  offs = [];
}

/** Emits what is held back for batching or throttling: pointer positions, the last scroll or
 * resize. A flush asked for sends everything recorded so far, these included. */
export function flushPending(): void {
  flushMoves();
  settle();
}

function point(e: Event): MouseEvent | Touch | undefined {
  const touches = (e as TouchEvent).changedTouches;
  return touches ? touches[0] : (e as MouseEvent);
}

function move(e: Event): void {
  const t = now();
  const p = point(e);
  const el = target(e);
  const id = closestId(el);
  if (!p || unseen(el, id)) return; // the pointer is not seen over a blocked element,
  if (closedRootOf(el) && blockedWithin(el, p.clientX, p.clientY)) return; // nor in a closed root
  const source = e.type === 'touchmove' ? IncrementalSource.TouchMove : IncrementalSource.MouseMove;
  if (source !== moveSource) flushMoves();
  moveSource = source;
  // timeOffset holds the absolute time until the batch is flushed.
  const m = { x: p.clientX, y: p.clientY, id, timeOffset: t };
  skipped = t - lastMove < opts.mousemoveSampleMs ? m : null;
  if (!skipped) {
    lastMove = t;
    moves.push(m);
  }
  if (!moveTimer) moveTimer = setTimeout(flushTimer, MOVE_FLUSH_MS) as unknown as number;
}

/**
 * Emits the batched positions; timeOffset becomes negative ms relative to the event time. The
 * latest skipped position goes too, except on the periodic flush of a pointer still moving
 * (`moving`): it then waits for the next flush, and a later sampled position makes it needless.
 */
export function flushMoves(moving?: boolean): void {
  clearTimeout(moveTimer);
  moveTimer = 0;
  if (skipped && moving && moves.length)
    moveTimer = setTimeout(flushTimer, MOVE_FLUSH_MS) as unknown as number;
  else if (skipped) {
    moves.push(skipped);
    skipped = null;
  }
  if (!moves.length) return;
  const t = now();
  for (const m of moves) m.timeOffset -= t;
  const positions = moves;
  moves = [];
  emit(EventType.IncrementalSnapshot, { source: moveSource, positions });
}

function interact(e: Event): void {
  settle(); // a scroll just before comes first
  const el = target(e);
  const id = closestId(el);
  const p = point(e);
  const at = p && p.clientX != null;
  if (unseen(el, id)) return; // a virtual PIN pad in a blocked box is not rebuilt from clicks
  if (at && closedRootOf(el) && blockedWithin(el, p.clientX, p.clientY)) return; // nor in a closed root
  const data: MouseInteractionData = {
    source: IncrementalSource.MouseInteraction,
    type: INTERACTIONS.indexOf(e.type) as MouseInteractions,
    id,
  };
  if (at) {
    data.x = p.clientX;
    data.y = p.clientY;
    if (e.type === 'click') data.box = recordedBox(el);
  }
  emit(EventType.IncrementalSnapshot, data);
}

/** The viewport box of the element whose id a click sends, so a heatmap can place the click
 * inside that element at another width or after a layout change. */
function recordedBox(el: Node | null): [number, number, number, number] | undefined {
  for (let n = el; n; n = n.parentNode) {
    if (!getId(n)) continue;
    if (n.nodeType !== Node.ELEMENT_NODE) return undefined;
    const r = (n as Element).getBoundingClientRect();
    return [Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)];
  }
  return undefined;
}

/**
 * Fires once at the end of the throttle window (a scroll's or resize's final state), for
 * everything that happened during it.
 */
function throttle<K extends object>(key: K, fire: (key: K) => void): void {
  if (pending.has(key)) return;
  const run = () => {
    clearTimeout((pending.get(key) as [number, unknown])[0]);
    pending.delete(key);
    fire(key);
  };
  pending.set(key, [setTimeout(guard(run), opts.scrollThrottleMs) as unknown as number, run]);
}

/** Runs the throttled work now: before a click (which may follow a scroll) and on stop. */
function settle(): void {
  pending.forEach(([, run]) => run());
}

function emitScroll(target: Node): void {
  const id = getId(target);
  if (!id || contextOf(target) & Ctx.Block) return;
  const win = (target as Document).defaultView;
  const el = target as Element;
  const x = win ? win.scrollX : el.scrollLeft;
  const y = win ? win.scrollY : el.scrollTop;
  if (lastScroll.get(target) === x + ',' + y) return; // a smooth scroll's end, already sent
  lastScroll.set(target, x + ',' + y);
  emit(EventType.IncrementalSnapshot, { source: IncrementalSource.Scroll, id, x, y });
}

function emitResize(): void {
  const w = window.innerWidth;
  const h = window.innerHeight;
  if (w === width && h === height) return;
  width = w;
  height = h;
  emit(EventType.IncrementalSnapshot, { source: IncrementalSource.ViewportResize, width: w, height: h });
}

function isField(el: Element | null): el is HTMLInputElement {
  const tag = el && el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

function recordInput(el: HTMLInputElement, isChecked: boolean): void {
  const id = getId(el);
  const text = fieldValue(el, contextOf(el));
  if (!id || text === null) return; // private fields: no value, no event, no length
  const last = isChecked + text;
  if (lastInput.get(el) === last) return; // `change` after the same `input`
  lastInput.set(el, last);
  emit(EventType.IncrementalSnapshot, { source: IncrementalSource.Input, id, text, isChecked });
}

function media(e: Event): void {
  const el = e.target as HTMLMediaElement;
  const id = getId(el);
  if (!id || !(el instanceof HTMLMediaElement) || contextOf(el) & Ctx.Block) return;
  emit(EventType.IncrementalSnapshot, {
    source: IncrementalSource.MediaInteraction,
    type: MEDIA.indexOf(e.type) as MediaInteractions,
    id,
    currentTime: el.currentTime,
    volume: el.volume,
    muted: el.muted,
    playbackRate: el.playbackRate,
  });
}

/** A field changed: typed (input/change events) or set by script (hooked value setters). */
export function changed(el: Element): void {
  if (!isField(el)) return;
  const radio = el.type === 'radio';
  recordInput(el, (radio || el.type === 'checkbox') && el.checked);
  if (radio && el.checked && el.name) {
    // The browser unchecks the rest of the group silently: record that too.
    const group = (el.ownerDocument as Document).getElementsByName(el.name);
    for (let i = 0; i < group.length; i++) {
      const r = group[i] as HTMLInputElement;
      if (r !== el && r.type === 'radio' && r.form === el.form) recordInput(r, false);
    }
  }
}

/**
 * A named key is recorded only where the recording shows what it acts on: on a recorded element
 * that takes keys itself (a field, a contenteditable, the body, something focusable), never on
 * a private field nor in ignored or blocked content, and never on the host of a closed shadow
 * root or a custom element that is not focusable itself (the key was typed in a field inside it).
 */
function key(e: Event): void {
  const k = (e as KeyboardEvent).key;
  const el = target(e) as HTMLElement;
  const id = getId(el);
  if (!NAMED_KEYS.test(k) || !id || closedRootOf(el) || !takesKeys(el)) return;
  const ctx = contextOf(el);
  if (ctx & (Ctx.Ignore | Ctx.Block) || ((isField(el) || el.isContentEditable) && isPrivateField(el, ctx)))
    return;
  emit(EventType.Custom, { tag: 'key', payload: { key: k, id } });
}

function takesKeys(el: HTMLElement): boolean {
  return (
    isField(el) ||
    el.isContentEditable ||
    el.nodeName === 'BODY' ||
    el.tabIndex >= 0 ||
    el.hasAttribute('tabindex')
  );
}
