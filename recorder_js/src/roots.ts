// The trees a recording reaches: the document, open shadow roots and same-origin frame documents.
// Serialization meets them; once what it serialized is out, attach() hands each root to the
// watchers once for the life of the recording (observe it, listen to it, hook its realm) and to
// the senders every time it is met (a frame's document, adopted stylesheets). Roots met before the
// recording starts wait in the queue, so the order in which the pieces start does not matter.

export type Root = Document | ShadowRoot;

export interface RootHandlers {
  /** Once per root and recording: start observing and listening to it. */
  watch(root: Root): void;
  /** Every time serialization meets the root: send what the replay needs of it. */
  met(root: Root): void;
}

let queue: Root[] = [];
let watched = new WeakSet<Root>();
let handlers: RootHandlers | null = null;

/** A root serialization met: attached at the next attach(). */
export function meet(root: Root): void {
  queue.push(root);
}

function watchOnce(root: Root): void {
  if (handlers && !watched.has(root)) {
    watched.add(root);
    handlers.watch(root);
  }
}

/** Watches the roots met so far, sending nothing yet (a snapshot is still under way). */
export function watchMet(): void {
  queue.forEach(watchOnce);
}

/** Watches and sends every root met since the last call. */
export function attach(): void {
  if (!handlers) return;
  for (let root = queue.shift(); root; root = queue.shift()) {
    watchOnce(root);
    handlers.met(root);
  }
}

export function start(h: RootHandlers): void {
  handlers = h;
  watched = new WeakSet();
}

export function stop(): void {
  handlers = null;
  queue = [];
}
