// What privacy.ts remembers about fields for the life of the page: once private, always private.
// Type changes away from password are watched from the moment the script loads, in the document,
// in every shadow root attached since and in every frame document the page's scripts reach;
// fields swapped in for a private one inherit it, and so do fields leaving ignored markup that
// the recording may never have shown (closed shadow roots, frame documents).

import { Ctx, contextOf } from './privacy.js';
import { Observer } from './builtins.js';
import { guard, patch } from './util.js';

/**
 * Fields once private stay private for the life of the page ("show password" toggles, fields
 * moved out of ignored markup...). One set for the top window and its same-origin frames, so
 * that the copy of the recorder a frame loads remembers for the parent's recorder too.
 */
const everPrivate: WeakSet<Element> = sharedSet();

/** True for a field that was private once: it stays private. */
export function wasPrivate(el: Element): boolean {
  return everPrivate.has(el);
}

export function keepPrivate(el: Element): void {
  everPrivate.add(el);
}

function sharedSet(): WeakSet<Element> {
  const key = Symbol.for('sessiontape.private');
  try {
    const top = window.top as unknown as { [k: symbol]: WeakSet<Element> };
    return top[key] || (top[key] = new WeakSet());
  } catch {
    return new WeakSet();
  }
}

let typeWatcher: MutationObserver | null = null;
const typeWatched = new WeakSet<Node>();

function noteTypes(records: MutationRecord[]): void {
  for (const r of records)
    if (r.type === 'childList') noteLeaving(r);
    else if (/^(password|hidden)$/i.test(r.oldValue || '')) everPrivate.add(r.target as Element);
}

/**
 * Fields taken out of ignored or blocked markup stay private wherever they go: the context of
 * the parent they left is read from the change record, which names it.
 */
function noteLeaving(r: MutationRecord): void {
  let ctx = -1;
  for (let j = 0; j < r.removedNodes.length; j++) {
    const n = r.removedNodes[j] as Element;
    if (n.nodeType !== 1) continue;
    const fields = /^(INPUT|TEXTAREA|SELECT)$/.test(n.nodeName)
      ? [n]
      : n.firstElementChild
        ? n.querySelectorAll('input,textarea,select')
        : [];
    for (let i = 0; i < fields.length; i++) {
      if (ctx < 0) ctx = contextOf(r.target);
      if (ctx & (Ctx.Ignore | Ctx.Block)) everPrivate.add(fields[i] as Element);
    }
  }
}

/**
 * Remembers fields whose type changes from password (a "show password" toggle) in `root`: the
 * document from the moment the script loads, every shadow root attached since (open or closed),
 * and every root the recorder meets (frame documents, declarative shadow roots). In the trees the
 * recording may not show, closed shadow roots and frame documents, fields leaving ignored markup
 * are remembered too (the recorder may never have met them there).
 */
export function watchTypes(root: Document | ShadowRoot): void {
  if (typeWatched.has(root)) return;
  typeWatched.add(root);
  try {
    typeWatcher = typeWatcher || new (Observer())(guard(noteTypes));
    const apart = root.nodeType === 9 ? root !== document : (root as ShadowRoot).mode === 'closed';
    typeWatcher.observe(root, {
      subtree: true,
      attributeFilter: ['type'],
      attributeOldValue: true,
      childList: apart,
    });
  } catch {
    /* no DOM */
  }
}

/** Type changes made in this very task, not yet delivered, count too. */
export function settle(): void {
  if (typeWatcher) noteTypes(typeWatcher.takeRecords());
}

/**
 * A same-origin frame's document is watched as soon as a script of this page gets hold of it,
 * before it can write a password field into it and show it as text in the same task.
 */
function watchFrameDocuments(): void {
  const proto = HTMLIFrameElement.prototype;
  const own = (name: string) => Object.getOwnPropertyDescriptor(proto, name);
  const docOf = own('contentDocument')?.get; // null for a cross-origin frame, without an error
  if (docOf)
    for (const name of ['contentDocument', 'contentWindow']) {
      const d = own(name) as PropertyDescriptor;
      const get = d.get as () => unknown;
      Object.defineProperty(proto, name, {
        ...d,
        get(this: HTMLIFrameElement) {
          const doc = docOf.call(this) as Document | null;
          if (doc) watchTypes(doc);
          return get.call(this);
        },
      });
    }
}

/**
 * Closed shadow roots attached since this script loaded, by host. Events from inside such a root
 * reach the document as if they happened on its host, from a node the page's listeners cannot see.
 */
const closedRoots = new WeakMap<Element, ShadowRoot>();

/** The closed shadow root `host` was given since this script loaded, if any. */
export function closedRootOf(host: Element): ShadowRoot | undefined {
  return closedRoots.get(host);
}

/**
 * Elements a scroll event came from, in the trees whose scroll events are watched: reading an
 * element's scroll offsets forces a layout query (a third of a full snapshot's time on big
 * pages), and an element of a watched tree that never fired one has offsets 0 (a scroll set in
 * the very task of a snapshot arrives as a Scroll event right after it).
 */
const scrolled = new WeakSet<EventTarget>();
const scrollWatched = new WeakSet<Node>();

/**
 * Watches the scroll events of `root` from now on; true when it was watched already (its
 * elements need not be read unless they scrolled). A document is watched from the moment this
 * script runs while it is still loading, before anything in it can scroll, and so is every
 * shadow root attached since; any other tree is read whole once, then watched.
 */
export function watchScrolls(root: Document | ShadowRoot): boolean {
  if (scrollWatched.has(root)) return true;
  scrollWatched.add(root);
  root.addEventListener('scroll', (e) => scrolled.add(e.target as EventTarget), { capture: true, passive: true });
  return false;
}

/** True for an element whose scroll offsets may not be 0 in a watched tree. */
export function wasScrolled(el: Element): boolean {
  return scrolled.has(el);
}

/** An element found scrolled while its tree was read whole. */
export function noteScrolled(el: Element): void {
  scrolled.add(el);
}

if (typeof document !== 'undefined') {
  watchTypes(document);
  if (document.readyState === 'loading') watchScrolls(document);
  patch(Element.prototype, 'attachShadow', (host: Element, _args, root: ShadowRoot) => {
    if (root.mode === 'closed') closedRoots.set(host, root);
    watchTypes(root);
    watchScrolls(root);
  });
  watchFrameDocuments();
}

function fieldsIn(n: Node, fn: (field: HTMLInputElement) => void): void {
  if (n.nodeName === 'INPUT') fn(n as HTMLInputElement);
  else if (n.nodeType === 1 && n.firstChild) {
    const list = (n as Element).getElementsByTagName('input');
    for (let i = 0; i < list.length; i++) fn(list[i] as HTMLInputElement);
  }
}

/**
 * A field put in place of a private one in the same batch of changes (a "show password" that
 * swaps in a type=text copy) is private too: when it is the one field a change adds in place of
 * a private field, or has the removed field's name, id or (non-empty) value.
 */
export function noteSwaps(records: MutationRecord[]): void {
  let gone: HTMLInputElement[] | null = null;
  for (const r of records)
    for (let j = 0; j < r.removedNodes.length; j++)
      fieldsIn(r.removedNodes[j] as Node, (f) => {
        if (everPrivate.has(f) || /^password$/i.test(f.type)) (gone = gone || []).push(f);
      });
  if (!gone) return;
  const old = gone as HTMLInputElement[];
  for (const r of records) {
    const added: HTMLInputElement[] = [];
    for (let j = 0; j < r.addedNodes.length; j++) fieldsIn(r.addedNodes[j] as Node, (f) => added.push(f));
    const inPlace = added.length === 1 && old.some((g) => r.removedNodes.length && contains(r.removedNodes, g));
    for (const f of added)
      if (
        inPlace ||
        old.some(
          (g) => (g.name && g.name === f.name) || (g.id && g.id === f.id) || (g.value && g.value === f.value),
        )
      )
        everPrivate.add(f);
  }
}

function contains(list: NodeList, n: Node): boolean {
  for (let i = 0; i < list.length; i++) if ((list[i] as Node).contains(n)) return true;
  return false;
}

