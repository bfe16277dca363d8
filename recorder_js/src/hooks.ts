// Changes the page makes through properties and methods, which no event or MutationObserver
// reports: form values set by script (as React and other frameworks do), shadow roots attached
// later and stylesheet changes (sheets.ts). Each same-origin frame has prototypes of its own:
// every realm the recording reaches is hooked, once, and all are restored on stop.

import { changed } from './observers.js';
import { shadowAttached } from './mutations.js';
import { patches } from './sheets.js';
import { patch, type Off } from './util.js';

let offs: Off[] = [];
let hooked = new WeakSet<object>();

const SETTERS: [string, string[]][] = [
  ['HTMLInputElement', ['value', 'checked']],
  ['HTMLTextAreaElement', ['value']],
  ['HTMLSelectElement', ['value', 'selectedIndex']],
];

/**
 * Hooks the realm of `win` (the top window or a same-origin frame's), unless it is hooked
 * already. A frame that navigates keeps its window object but gets a new realm: realms are told
 * apart by their Element constructor.
 */
export function realm(win: Window | null | undefined): void {
  const w = win as typeof window;
  if (!w || hooked.has(w.Element)) return;
  hooked.add(w.Element);
  offs.push(
    patch(w.Element.prototype, 'attachShadow', (host, _, root) => shadowAttached(host, root)),
    ...patches(w),
  );
  for (const [type, names] of SETTERS) {
    const proto = (w as unknown as { [k: string]: { prototype: object } })[type]!.prototype;
    for (const name of names) offs.push(patch(proto, name, changed));
  }
}

export function start(): void {
  realm(window);
}

export function stop(): void {
  offs.forEach((off) => off());
  offs = [];
  hooked = new WeakSet();
}
