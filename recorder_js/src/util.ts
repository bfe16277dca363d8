// Shared plumbing: the error guard and listener bookkeeping. The recorder never throws into
// the page: every callback runs inside guard(), and an error stops recording.

let onError: (e: unknown) => void = () => {};

export function setErrorHandler(fn: (e: unknown) => void): void {
  onError = fn;
}

/** Wraps a callback so that an exception stops recording instead of reaching the page. */
export function guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (e) {
      onError(e);
    }
  };
}

export type Off = () => void;

/** addEventListener (capture, passive, guarded); returns the remover. */
export function on(target: EventTarget, type: string, fn: (e: Event) => void): Off {
  const opts = { capture: true, passive: true };
  const g = guard(fn);
  target.addEventListener(type, g, opts);
  return () => target.removeEventListener(type, g, opts);
}

export const now = Date.now;

let port: MessagePort | null = null;
const queued: (() => void)[] = [];
/**
 * Runs `fn` in a task of its own, as soon as the page's other tasks allow. A message, not a
 * timer: timers are clamped in nested use and throttled to one a second in background tabs.
 */
export function nextTask(fn: () => void): void {
  if (!port) {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => (queued.shift() as () => void)();
    port = channel.port2;
  }
  queued.push(guard(fn));
  port.postMessage(0);
}

/**
 * Wraps a method or property setter of `obj` (a prototype) so that `after(self, args, result)`
 * runs, guarded, once the page's call has done its work; returns the restorer.
 */
export function patch(
  obj: object,
  name: string,
  // The wrapped members differ in shape; each caller knows its own.
  after: (self: any, args: any[], result: any) => void,
): Off {
  const d = Object.getOwnPropertyDescriptor(obj, name);
  const g = guard(after);
  if (!d) return () => {};
  const w: PropertyDescriptor = { ...d };
  const f = d.set || d.value;
  if (typeof f !== 'function') return () => {};
  w[d.set ? 'set' : 'value'] = function (this: unknown, ...args: unknown[]) {
    const result = f.apply(this, args);
    g(this, args, result);
    return result;
  };
  Object.defineProperty(obj, name, w);
  return () => Object.defineProperty(obj, name, d);
}
