// User interaction: mouse/touch moves (sampled, batched), clicks and other interactions,
// scroll (throttled per target), viewport size, input (one event per keystroke), named keys.
// Listeners are passive, capture-phase on the document, and guarded.

import {
  EventType,
  IncrementalSource,
  MouseInteractions,
  type Event as StEvent,
  type MouseInteractionData,
  type MousePosition,
} from './schema';
import { closestId, getId } from './mirror';
import { contextOf, fieldValue, isPrivateField } from './privacy';
import { guard, now, on, type Off } from './util';

type Emit = (type: StEvent['type'], data: StEvent['data']) => void;

export interface ObserverOptions {
  /** Minimum ms between two recorded mouse/touch positions (default 50). */
  mousemoveSampleMs: number;
  /** Minimum ms between two scroll events of one target (default 100); the last one is kept. */
  scrollThrottleMs: number;
}

const INTERACTIONS: { [type: string]: MouseInteractions } = {
  mouseup: MouseInteractions.MouseUp,
  mousedown: MouseInteractions.MouseDown,
  click: MouseInteractions.Click,
  contextmenu: MouseInteractions.ContextMenu,
  dblclick: MouseInteractions.DblClick,
  focus: MouseInteractions.Focus,
  blur: MouseInteractions.Blur,
  touchstart: MouseInteractions.TouchStart,
  touchend: MouseInteractions.TouchEnd,
  touchcancel: MouseInteractions.TouchCancel,
};
const NAMED_KEYS = /^(Enter|Tab|Escape|Backspace)$/;
const MOVE_FLUSH_MS = 500;

let emit: Emit = () => {};
let opts: ObserverOptions = { mousemoveSampleMs: 50, scrollThrottleMs: 100 };
let offs: Off[] = [];
let moves: MousePosition[] = [];
let moveSource: IncrementalSource.MouseMove | IncrementalSource.TouchMove = IncrementalSource.MouseMove;
let lastMove = 0;
let moveTimer = 0;
let flushTimer: () => void = () => {};
let lastFire = new WeakMap<object, number>();
const timers = new Map<object, number>();
let lastInput = new WeakMap<Element, string>();
let width = 0;
let height = 0;

export function start(fn: Emit, o: ObserverOptions): void {
  emit = fn;
  opts = o;
  lastFire = new WeakMap();
  lastInput = new WeakMap();
  width = window.innerWidth;
  height = window.innerHeight;
  flushTimer = guard(flushMoves);
  const d = document;
  offs = [
    on(d, 'mousemove', move),
    on(d, 'touchmove', move),
    on(d, 'scroll', (e) => throttle(e.target as Node, emitScroll)),
    on(window, 'resize', () => throttle(window, emitResize)),
    on(d, 'input', input),
    on(d, 'change', input),
    on(d, 'keydown', key),
  ];
  for (const type in INTERACTIONS) offs.push(on(d, type, interact));
}

export function stop(): void {
  flushMoves();
  offs.forEach((off) => off());
  offs = [];
  timers.forEach((t) => clearTimeout(t));
  timers.clear();
}

function point(e: Event): MouseEvent | Touch | undefined {
  const touches = (e as TouchEvent).changedTouches;
  return touches ? touches[0] : (e as MouseEvent);
}

function move(e: Event): void {
  const t = now();
  if (t - lastMove < opts.mousemoveSampleMs) return;
  const p = point(e);
  if (!p) return;
  lastMove = t;
  const source = e.type === 'touchmove' ? IncrementalSource.TouchMove : IncrementalSource.MouseMove;
  if (source !== moveSource) flushMoves();
  moveSource = source;
  // timeOffset holds the absolute time until the batch is flushed.
  moves.push({ x: p.clientX, y: p.clientY, id: closestId(e.target as Node), timeOffset: t });
  if (!moveTimer) moveTimer = setTimeout(flushTimer, MOVE_FLUSH_MS) as unknown as number;
}

/** Emits the batched positions; timeOffset becomes negative ms relative to the event time. */
export function flushMoves(): void {
  clearTimeout(moveTimer);
  moveTimer = 0;
  if (!moves.length) return;
  const t = now();
  for (const m of moves) m.timeOffset -= t;
  const positions = moves;
  moves = [];
  emit(EventType.IncrementalSnapshot, { source: moveSource, positions });
}

function interact(e: Event): void {
  const data: MouseInteractionData = {
    source: IncrementalSource.MouseInteraction,
    type: INTERACTIONS[e.type] as MouseInteractions,
    id: closestId(e.target as Node),
  };
  const p = point(e);
  if (p && p.clientX != null) {
    data.x = p.clientX;
    data.y = p.clientY;
  }
  emit(EventType.IncrementalSnapshot, data);
}

/** Fires now, or once at the end of the throttle window (so the final state is kept). */
function throttle<K extends object>(key: K, fire: (key: K) => void): void {
  if (timers.has(key)) return;
  const wait = opts.scrollThrottleMs - (now() - (lastFire.get(key) || 0));
  const run = () => {
    timers.delete(key);
    lastFire.set(key, now());
    fire(key);
  };
  if (wait <= 0) run();
  else timers.set(key, setTimeout(guard(run), wait) as unknown as number);
}

function emitScroll(target: Node): void {
  const id = getId(target);
  if (!id) return;
  const doc = target.nodeType === 9;
  const el = target as Element;
  emit(EventType.IncrementalSnapshot, {
    source: IncrementalSource.Scroll,
    id,
    x: doc ? window.scrollX : el.scrollLeft,
    y: doc ? window.scrollY : el.scrollTop,
  });
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

function input(e: Event): void {
  const el = e.target as Element;
  if (!isField(el)) return;
  const radio = el.type === 'radio';
  recordInput(el, (radio || el.type === 'checkbox') && el.checked);
  if (radio && el.checked && el.name) {
    // The browser unchecks the rest of the group silently: record that too.
    const group = document.getElementsByName(el.name);
    for (let i = 0; i < group.length; i++) {
      const r = group[i] as HTMLInputElement;
      if (r !== el && r.type === 'radio' && r.form === el.form) recordInput(r, false);
    }
  }
}

function key(e: Event): void {
  const k = (e as KeyboardEvent).key;
  const el = e.target as Element;
  if (!NAMED_KEYS.test(k) || (isField(el) && isPrivateField(el, contextOf(el)))) return;
  emit(EventType.Custom, { tag: 'key', payload: { key: k, id: closestId(el) } });
}
