// MutationObserver records -> one Mutation event per observer callback, over the document, its
// open shadow roots and its same-origin frames (a frame's document is sent as an isAttachIframe
// add after the full snapshot and again whenever the frame loads a new one).
// Adds are flattened (each node without children, as rrweb emits them) in parent-before-child
// order, and siblings right to left, so every add's nextId is a node the replayer already has.

import {
  IncrementalSource,
  type AddedNodeMutation,
  type IncrementalData,
  type SerializedNodeWithId,
  type AttributeMutation,
  type MutationData,
  type RemovedNodeMutation,
  type TextMutation,
} from './schema.js';
import { alias, getId, isBlocked, isOpaque } from './mirror.js';
import { attach, meet, type Root } from './roots.js';
import { adopted, resend } from './sheets.js';
import {
  Ctx,
  attrText,
  contextOf,
  dropAttr,
  fieldValue,
  keepsAttr,
  layoutOnly,
  textValue,
} from './privacy.js';
import { noteSwaps } from './remember.js';
import { absCss, attrValue } from './absolute.js';
import {
  onStylesheetLoad,
  openMode,
  refreshBase,
  serializeNode,
  sheetText,
  walk,
} from './snapshot.js';
import { Observer } from './builtins.js';
import { guard, on, type Off } from './util.js';
import { classifyingMany } from './classify.js';

type Emit = (data: IncrementalData) => void;

const OBSERVE = { subtree: true, childList: true, attributes: true, characterData: true };
let observer: MutationObserver | null = null;
let emit: Emit = () => {};
/** Frame `load` listeners: on the document and on every root watched (the event is not composed). */
let offLoads: Off[] = [];
/** The document last sent for each frame, so that a frame's load sends only a new one. */
let frameDocs = new WeakMap<Element, Document>();

/** Records delivered while a full snapshot is being taken in slices, and the nodes they add. */
let held: MutationRecord[] | null = null;
let addedWhileHeld = new Set<Node>();

function deliver(records: MutationRecord[]): void {
  if (!held) return process(records);
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as MutationRecord;
    held.push(r);
    for (let j = 0; j < r.addedNodes.length; j++) addedWhileHeld.add(r.addedNodes[j] as Node);
  }
}

/**
 * A full snapshot starts: from now until release(), changes are held. Call hold() after
 * discard(); roots the snapshot meets are observed between its slices (roots.watchMet).
 */
export function hold(): void {
  held = [];
  addedWhileHeld = new Set();
}

/** True for a node the page added since hold(): the snapshot leaves it to the Mutation. */
export function addedSinceHold(n: Node): boolean {
  return addedWhileHeld.size > 0 && addedWhileHeld.has(n);
}

/**
 * The snapshot is finished: what changed while it was taken goes out as one Mutation (nodes
 * serialized after their change are already up to date; resending their values is harmless),
 * then the roots it met are attached.
 */
export function release(): void {
  const records = held || [];
  if (observer) records.push(...observer.takeRecords());
  held = null;
  addedWhileHeld = new Set();
  process(records);
  attach();
}

export function start(fn: Emit): void {
  emit = fn;
  observer = new (Observer())(guard(deliver));
  onStylesheetLoad(
    guard((link: HTMLLinkElement, text?: string) => {
      const id = getId(link);
      const css = text || sheetText(link.sheet);
      if (id && css != null && link.isConnected)
        emit(data([], [{ id, attributes: { _cssText: css } }], [], []));
    }),
  );
}

export function stop(): void {
  if (observer) observer.disconnect();
  observer = null;
  held = null;
  addedWhileHeld = new Set();
  offLoads.forEach((off) => off());
  offLoads = [];
  onStylesheetLoad(null);
}

/** A shadow root attached (by the page) to a recorded element: watch it from now on. */
export function shadowAttached(host: Element, root: ShadowRoot): void {
  const id = getId(host);
  if (!id || !observer) return;
  alias(root, id);
  meet(root);
  attach();
}

/**
 * Observes a root's changes, and its frames' `load` events: a frame that loads a document later
 * is met through that event, which reaches neither the top document from inside a shadow root
 * nor one document from another, so each root has its own listener.
 */
export function observe(root: Root): void {
  if (!observer) return;
  observer.observe(root, OBSERVE);
  offLoads.push(on(root, 'load', frameLoaded));
}

function frameLoaded(e: Event): void {
  const frame = e.target as HTMLIFrameElement;
  if (frame.nodeName !== 'IFRAME' || !getId(frame) || !observer) return;
  let doc: Document | null = null;
  try {
    doc = frame.contentDocument;
  } catch {
    /* cross-origin */
  }
  if (doc && frameDocs.get(frame) !== doc) {
    meet(doc);
    attach();
  }
}

/**
 * Sends what the replay needs of a root serialization met: a frame's document (as an
 * isAttachIframe add), and the stylesheets the root adopts.
 */
export function sendRoot(root: Root): void {
  const frame = root.nodeType === 9 ? (root as Document).defaultView?.frameElement : null;
  const parentId = getId(frame);
  const ctx = contextOf(frame || null); // a frame inside masked or ignored markup
  if (frame && parentId && !(ctx & Ctx.Block)) {
    frameDocs.set(frame, root as Document);
    refreshBase(root as Document);
    const node = walk(root as Document, ctx) as SerializedNodeWithId;
    refreshBase();
    const d = data([], [], [], [{ parentId, nextId: null, node }]);
    d.isAttachIframe = true;
    emit(d);
  }
  const sheets = adopted(root);
  if (sheets) emit(sheets);
}

/** Emits what the observer has queued but not yet delivered (before stop). */
export function drain(): void {
  if (observer && !held) process(observer.takeRecords());
}

/** Drops queued records (a full snapshot is about to supersede them). */
export function discard(): void {
  if (observer) observer.takeRecords();
  frameDocs = new WeakMap();
  resend();
}

function data(
  texts: TextMutation[],
  attributes: AttributeMutation[],
  removes: RemovedNodeMutation[],
  adds: AddedNodeMutation[],
): MutationData {
  return { source: IncrementalSource.Mutation, texts, attributes, removes, adds };
}

/** Id of the first recorded sibling after `n` (already known to the replayer), or null. */
function nextId(n: Node): number | null {
  for (let s = n.nextSibling; s; s = s.nextSibling) {
    const id = getId(s);
    if (id) return id;
  }
  return null;
}

function process(records: MutationRecord[]): void {
  if (records.length) classifyingMany(() => processNow(records), undefined, false);
}

function processNow(records: MutationRecord[]): void {
  noteSwaps(records); // before anything added is serialized
  const added = new Set<Node>();
  const removed = new Set<number>();
  const removes: RemovedNodeMutation[] = [];
  const texts = new Set<Node>();
  const attrs = new Map<Element, Set<string>>();
  const restyled = new Set<Element>(); // <style> recorded as _cssText whose text changed

  for (let i = 0; i < records.length; i++) {
    const r = records[i] as MutationRecord;
    const t = r.target;
    if (r.type === 'childList') {
      const a = r.addedNodes;
      for (let j = 0; j < a.length; j++) added.add(a[j] as Node);
      const parentId = getId(t);
      const d = r.removedNodes;
      for (let j = 0; j < d.length; j++) {
        // The first removal of a node in a batch is from where the replayer has it.
        const id = getId(d[j]);
        if (id && parentId && !removed.has(id)) {
          removed.add(id);
          removes.push(t.nodeType === 11 ? { parentId, id, isShadow: true } : { parentId, id });
        }
      }
      if (isOpaque(t) && t.nodeName === 'STYLE') restyled.add(t as Element);
    } else if (r.type === 'characterData') {
      const p = t.parentNode;
      if (p && isOpaque(p) && p.nodeName === 'STYLE') restyled.add(p as Element);
      else texts.add(t);
    }
    else {
      let names = attrs.get(t as Element);
      if (!names) attrs.set(t as Element, (names = new Set()));
      names.add(r.attributeName as string);
    }
  }

  refreshBase();
  const adds: AddedNodeMutation[] = [];
  const emitted = new Set<Node>();
  if (added.size) {
    // Roots: connected added nodes with no added ancestor; their subtrees come with them.
    const roots = new Set<Node>();
    added.forEach((n) => {
      if (!n.isConnected) return; // added and removed in the same batch: never emitted
      for (let p = n.parentNode; p; p = p.parentNode || (p as ShadowRoot).host)
        if (added.has(p)) return;
      roots.add(n);
    });
    const stack: Node[] = [];
    const ctxs: number[] = [];
    roots.forEach((root) => {
      if (!roots.has(root)) return; // already emitted as part of a run
      const parent = root.parentNode as Node;
      if (!getId(parent) || isOpaque(parent)) return;
      const ctx = contextOf(parent);
      if (ctx & Ctx.Block) return; // inside an element blocked after it was recorded
      refreshBase(root.ownerDocument as Document);
      // Extend to the right over adjacent added siblings, then pop them right to left.
      for (let s: Node | null = root; s && roots.has(s); s = s.nextSibling) {
        roots.delete(s);
        stack.push(s);
        ctxs.push(ctx);
      }
      while (stack.length) {
        const n = stack.pop() as Node;
        const c = ctxs.pop() as number;
        const s = serializeNode(n, c);
        if (!s) continue;
        const [node, kc] = s;
        emitted.add(n);
        const parentNode = n.parentNode as Node;
        if (parentNode.nodeType === 11) node.isShadow = true;
        adds.push({ parentId: getId(parentNode), nextId: nextId(n), node });
        if (kc >= 0) {
          for (let k = n.firstChild; k; k = k.nextSibling) {
            stack.push(k);
            ctxs.push(kc);
          }
          const shadow = (n as Element).shadowRoot;
          if (shadow && getId(shadow))
            for (let k = shadow.firstChild; k; k = k.nextSibling) {
              stack.push(k);
              ctxs.push(kc);
            }
        }
      }
    });
  }

  const textOut: TextMutation[] = [];
  texts.forEach((t) => {
    const id = getId(t);
    if (!id || !t.isConnected || emitted.has(t)) return;
    const ctx = contextOf(t.parentNode);
    if (ctx & Ctx.Block) return;
    const v = (t as CharacterData).data;
    textOut.push({ id, value: ctx & Ctx.Style ? absCss(v) : textValue(v, ctx) });
  });

  const attrOut: AttributeMutation[] = [];
  attrs.forEach((names, el) => {
    const id = getId(el);
    if (!id || !el.isConnected || emitted.has(el) || isBlocked(el)) return;
    const ctx = contextOf(el);
    if (ctx & Ctx.Block) return;
    const tag = el.tagName.toLowerCase();
    const out: { [name: string]: string | null } = {};
    let any = false;
    const layout = layoutOnly(el, ctx); // a private field: its other attributes never change
    names.forEach((name) => {
      if (layout && !keepsAttr(name)) return;
      let v = el.getAttribute(name);
      if (v !== null) {
        if (name === 'value' && (tag === 'input' || tag === 'textarea' || tag === 'select')) {
          v = fieldValue(el, ctx);
          if (v === null) return; // private: the value attribute is never recorded
        } else if (dropAttr(el, name, v)) v = null;
        else v = attrText(name, attrValue(tag, name, v), ctx);
      }
      // As in snapshots, a frame's address is rr_src: the replayer must not load live pages.
      out[tag === 'iframe' && name === 'src' ? 'rr_src' : name] = v;
      any = true;
    });
    if (tag === 'dialog' && names.has('open')) out.rr_open_mode = out.open == null ? null : openMode(el);
    if (any) attrOut.push({ id, attributes: out });
  });
  restyled.forEach((el) => {
    const css = sheetText((el as HTMLStyleElement).sheet);
    const id = getId(el);
    if (id && css != null && !emitted.has(el)) attrOut.push({ id, attributes: { _cssText: css } });
  });
  refreshBase();

  if (adds.length || removes.length || textOut.length || attrOut.length)
    emit(data(textOut, attrOut, removes, adds));
  attach();
}
