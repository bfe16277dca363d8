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
