// What an optional capture (an extension, such as canvas.ts) is handed: it lives in a bundle of
// its own, so that sites that do not use it do not download it, and it reaches the recording
// only through this.

import type { IncrementalData } from './schema.js';

export interface ExtensionContext {
  /** Records one IncrementalSnapshot event. */
  emit(data: IncrementalData): void;
  /** The recorded id of a node, 0 when the recording does not show it. */
  idOf(node: Node): number;
  /** True for a node inside masked, ignored or blocked markup (all of them with maskAllText). */
  hidden(node: Node): boolean;
  /** Wraps a callback: an exception stops the recording instead of reaching the page. */
  guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
}

export interface Extension {
  start(context: ExtensionContext): void;
  stop(): void;
  /** A full snapshot went out: what the extension sent before is to be sent again. */
  snapshotTaken(): void;
}
