// Changes the page makes through properties, which no event or MutationObserver reports: form
// values set by script (as React and other frameworks do) and shadow roots attached later.

import { changed } from './observers';
import { shadowAttached } from './mutations';
import { patch, type Off } from './util';

let offs: Off[] = [];

export function start(): void {
  const setters: [object, string[]][] = [
    [HTMLInputElement.prototype, ['value', 'checked']],
    [HTMLTextAreaElement.prototype, ['value']],
    [HTMLSelectElement.prototype, ['value', 'selectedIndex']],
  ];
  offs = [patch(Element.prototype, 'attachShadow', (host, _, root) => shadowAttached(host, root))];
  for (const [proto, names] of setters) for (const name of names) offs.push(patch(proto, name, changed));
}

export function stop(): void {
  offs.forEach((off) => off());
  offs = [];
}
