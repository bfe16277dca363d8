// Public API: start(options) -> Recorder, optOut(), optIn(), isOptedOut().
// Wires the capture modules to one emit(): onEvent first, then the transport buffer.

import {
  EventType,
  IncrementalSource,
  type ClientInfo,
  type Event,
  type EventWithTime,
} from './schema.js';
import type { Extension, ExtensionContext } from './extension.js';
import * as hooks from './hooks.js';
import * as mirror from './mirror.js';
import * as mutations from './mutations.js';
import * as observers from './observers.js';
import * as privacy from './privacy.js';
import { watchTypes } from './remember.js';
import * as roots from './roots.js';
import * as session from './session.js';
import * as sheets from './sheets.js';
import { snapshotInSlices } from './snapshot.js';
import * as transport from './transport.js';
import * as urls from './urls.js';
import { guard, nextTask, now, setErrorHandler } from './util.js';

export type * from './schema.js';
export type { PrivacyOptions } from './privacy.js';
export type { Extension, ExtensionContext } from './extension.js';

export interface Options extends privacy.PrivacyOptions {
  /** Collector base URL, e.g. `https://collector.example`; without it nothing is sent. */
  endpoint?: string;
  /** The site's public write key (`st_pk_...`). */
  key?: string;
  /** Called synchronously with every event as it is emitted (after privacy rules, before batching). */
  onEvent?: (event: EventWithTime) => void;
  /** Ms between two sends (default 5000). */
  flushInterval?: number;
  /**
   * Most unsent data kept in memory, in characters of JSON (default 4 MiB). While the collector
   * is unreachable and this is full, new events are dropped and counted; once sending recovers,
   * a Custom `dropped` event records how many, followed by a fresh full snapshot.
   */
  bufferLimit?: number;
  /**
   * More URL parameter names whose values are secret, besides the built-in list (token, code,
   * password, key, email...): in every recorded address, their values become `REDACTED`.
   */
  redactUrlParams?: string[];
  /** Minimum ms between two recorded mouse positions (default 50). */
  mousemoveSampleMs?: number;
  /** Minimum ms between two scroll events of one element (default 100). */
  scrollThrottleMs?: number;
  /** Take a new full snapshot every N ms (default: never). */
  checkoutEveryNms?: number;
  /**
   * Optional captures, each from a bundle of its own, e.g. canvas pixels:
   * `import { recordCanvas } from 'sessiontape/canvas'` and `extensions: [recordCanvas({ fps: 2 })]`.
   */
  extensions?: Extension[];
  /**
   * Longest main-thread slice of a full snapshot, in ms (default 25): a big page is walked in
   * several tasks so that the page stays responsive while recording starts.
   */
  snapshotSliceMs?: number;
}

export interface Recorder {
  /** 32 hex characters; '' when not recording (opted out). */
  readonly sessionId: string;
  /** 16 hex characters; '' when not recording (opted out). */
  readonly windowId: string;
  stop(): void;
  /** Resolves when every event so far is acknowledged by the collector or failed for good. */
  flush(): Promise<void>;
}

type OptOutOptions = privacy.OptOutOptions;

let current: Recorder | null = null;
let halt: ((drop: boolean) => void) | null = null;

/** The recorder started last (or null). */
export function getRecorder(): Recorder | null {
  return current;
}

/** True when the visitor opted out (cookie) or sends Global Privacy Control. */
export function isOptedOut(o: OptOutOptions = {}): boolean {
  return privacy.optedOut(o);
}

/** Sets the opt-out cookie (1 year) and stops recording at once, dropping what is unsent. */
export function optOut(o: OptOutOptions = {}): void {
  privacy.writeCookie(true, o);
  if (halt) halt(true);
  transport.drop();
  session.forget(); // no id outlives the opt-out: recording again opens a new session
}

/** Clears the opt-out cookie; the next start() records again, in a new session. */
export function optIn(o: OptOutOptions = {}): void {
  privacy.writeCookie(false, o);
  if (!halt) session.forget(); // not recording here: whatever id is stored predates the opt-out
}

function inert(): Recorder {
  return { sessionId: '', windowId: '', stop() {}, flush: () => Promise.resolve() };
}

/**
 * The client, described once per page. Not the user agent: the browser sends it with every
 * request, and the collector names browser and OS from that header.
 */
function clientInfo(): ClientInfo {
  let timeZone = '';
  try {
    timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    /* old engines */
  }
  const info: ClientInfo = {
    language: navigator.language,
    timeZone,
    screen: { width: screen.width, height: screen.height },
    devicePixelRatio: window.devicePixelRatio,
  };
  const referrer = urls.redactUrl(document.referrer);
  if (referrer) info.referrer = referrer;
  return info;
}

/** "TypeError in recorder": the error's name only, since messages can quote page content. */
function errorMessage(e: unknown): string {
  return ((e && (e as Error).name) || 'Error') + ' in recorder';
}

const USER_SOURCES = [
  IncrementalSource.MouseMove,
  IncrementalSource.MouseInteraction,
  IncrementalSource.Scroll,
  IncrementalSource.Input,
  IncrementalSource.TouchMove,
] as number[];

/** Starts recording this page. Never throws; returns an inert recorder when opted out. */
export function start(options: Options = {}): Recorder {
  if (halt) halt(false);
  privacy.configure(options);
  urls.configure(options.redactUrlParams);
  if (privacy.optedOut()) {
    transport.dropPending();
    session.forget();
    return (current = inert());
  }
  let live = true;
  let timers: number[] = [];
  const o = options;
  const onEvent = o.onEvent;
  const sliceMs = o.snapshotSliceMs ?? 25;
  const extensions = o.extensions || [];

  /** What the page does while a full snapshot is taken in slices: sent right after it. */
  let held: EventWithTime[] | null = null;
  let snapshotDone: Promise<void> = Promise.resolve();

  function emit(type: Event['type'], data: Event['data']): void {
    if (!live) return;
    if (
      !held &&
      type === EventType.IncrementalSnapshot &&
      USER_SOURCES.indexOf((data as { source: number }).source) >= 0 &&
      session.activity(now(), transport.seal)
    ) {
      // Idle for 30 minutes: this activity opens a new session, which needs its own snapshot.
      checkout(true);
      emit(EventType.Custom, { tag: 'client', payload: clientInfo() });
    }
    const event = { type, data, timestamp: now() } as EventWithTime;
    if (held) held.push(event);
    else send(event);
  }

  function send(event: EventWithTime): void {
    if (onEvent)
      try {
        onEvent(event);
      } catch {
        /* the page's callback must not stop recording */
      }
    transport.push(event);
  }

  /**
   * Meta + FullSnapshot, stamped when the snapshot starts. The snapshot walks the page in slices
   * of at most `snapshotSliceMs`; what changes meanwhile follows it as one Mutation, after the
   * events held meanwhile. Pending mouse positions go first, unless they opened a new session.
   */
  function checkout(newSession?: boolean): void {
    if (held) return; // one under way already
    mutations.discard(); // superseded by the snapshot
    if (!newSession) observers.flushMoves();
    const meta = {
      type: EventType.Meta,
      data: { href: observers.pageHref(), width: window.innerWidth, height: window.innerHeight },
      timestamp: now(),
    } as EventWithTime;
    const step = snapshotInSlices(mutations.addedSinceHold);
    held = [];
    mutations.hold();
    let finished = () => {};
    snapshotDone = new Promise((resolve) => (finished = resolve));
    const slice = () => {
      const data = live && step(performance.now() + sliceMs);
      if (live && !data) {
        roots.watchMet(); // what changes in the roots met so far is held from now on
        return nextTask(slice);
      }
      const during = held || [];
      held = null;
      if (data) {
        send(meta);
        send({ type: EventType.FullSnapshot, data, timestamp: meta.timestamp } as EventWithTime);
        during.forEach(send);
        mutations.release(); // frame documents and adopted sheets follow the snapshot
        extensions.forEach((x) => x.snapshotTaken()); // and canvases, at their next capture
      }
      finished();
    };
    slice();
  }

  function stop(drop: boolean): void {
    if (!live) return;
    try {
      if (!drop) mutations.drain();
      observers.stop();
      extensions.forEach((x) => x.stop());
      hooks.stop();
      sheets.stop();
      roots.stop();
    } catch {
      /* stopping anyway */
    }
    live = false;
    halt = null;
    mutations.stop();
    timers.forEach((t) => clearInterval(t)); // timeouts too: one id space
    timers = [];
    if (drop) transport.drop();
    else transport.stop();
  }

  const recorder: Recorder = {
    get sessionId() {
      return session.sessionId();
    },
    get windowId() {
      return session.windowId();
    },
    stop: () => stop(false),
    flush: () =>
      snapshotDone.then(() => {
        observers.flushPending();
        return transport.flush();
      }),
  };

  /** Reported once (nothing is sent once stopped), without page data: the error's kind only. */
  const fail = (e: unknown) => {
    const data = { tag: 'error', payload: { message: errorMessage(e) } };
    if (live) send({ type: EventType.Custom, data, timestamp: now() } as EventWithTime);
    stop(false);
  };
  try {
    halt = stop;
    setErrorHandler(fail);
    session.start();
    mirror.reset();
    if (o.endpoint)
      transport.start(
        o.endpoint.replace(/\/+$/, '') + '/v1/ingest' + (o.key ? '?key=' + encodeURIComponent(o.key) : ''),
        o.bufferLimit,
        (droppedEvents) => {
          // The collector was unreachable long enough to fill the buffer: say so, then give the
          // replay a fresh starting point, since the dropped events break continuity.
          emit(EventType.Custom, { tag: 'dropped', payload: { events: droppedEvents } });
          checkout();
        },
      );
    const incremental = (data: Event['data']) => emit(EventType.IncrementalSnapshot, data);
    // Hooks first: what the snapshot meets (constructed sheets, frames) is tracked from then on.
    sheets.start(incremental, mutations.drain);
    hooks.start();
    mutations.start(incremental);
    roots.start({
      watch(root) {
        watchTypes(root);
        mutations.observe(root);
        observers.watch(root);
        if (root.nodeType === 9) hooks.realm((root as Document).defaultView);
      },
      met: mutations.sendRoot,
    });
    const context: ExtensionContext = {
      emit: incremental,
      idOf: mirror.getId,
      hidden: (n) => !!(privacy.contextOf(n) & (privacy.Ctx.Mask | privacy.Ctx.Ignore | privacy.Ctx.Block)),
      guard,
    };
    extensions.forEach((x) => x.start(context));
    checkout();
    // Intl's first use costs milliseconds: describe the client in a task of its own, once
    // the snapshot is out.
    snapshotDone.then(() =>
      nextTask(() => emit(EventType.Custom, { tag: 'client', payload: clientInfo() })),
    );
    observers.start(emit, {
      mousemoveSampleMs: o.mousemoveSampleMs ?? 50,
      scrollThrottleMs: o.scrollThrottleMs ?? 100,
    });
    const tick = () => {
      try {
        if (privacy.optedOut()) return stop(true), session.forget(); // by another tab, or GPC
        observers.navigated(); // an address change by a history method the page saved before start
        transport.flush();
      } catch (e) {
        fail(e);
      }
    };
    timers.push(setInterval(tick, o.flushInterval || 5000) as unknown as number);
    if (o.checkoutEveryNms! > 0)
      timers.push(
        setInterval(() => {
          try {
            checkout();
          } catch (e) {
            fail(e);
          }
        }, o.checkoutEveryNms) as unknown as number,
      );
  } catch (e) {
    fail(e);
  }
  return (current = recorder);
}
