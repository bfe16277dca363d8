// MutationObserver records -> one Mutation event per observer callback.
// Adds are flattened (each node without children, as rrweb emits them) in parent-before-child
// order, and siblings right to left, so every add's nextId is a node the replayer already has.

import {
  IncrementalSource,
  type AddedNodeMutation,
  type AttributeMutation,
  type MutationData,
  type RemovedNodeMutation,
  type TextMutation,
} from './schema';
import { blocked, getId, opaque } from './mirror';
import { Ctx, contextOf, fieldValue, isPrivateField, textValue } from './privacy';
import {
  absCss,
  attrValue,
  kidsCtx,
  onStylesheetLoad,
  refreshBase,
  serializeNode,
  sheetText,
} from './snapshot';
import { guard } from './util';

type Emit = (data: MutationData) => void;

let observer: MutationObserver | null = null;
let emit: Emit = () => {};

export function start(fn: Emit): void {
  emit = fn;
  observer = new MutationObserver(guard(process));
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  onStylesheetLoad(
    guard((link: HTMLLinkElement) => {
      const id = getId(link);
      const css = sheetText(link.sheet);
      if (id && css != null && link.isConnected)
        emit(data([], [{ id, attributes: { _cssText: css } }], [], []));
    }),
  );
}

export function stop(): void {
  if (observer) observer.disconnect();
  observer = null;
  onStylesheetLoad(null);
}

/** Emits what the observer has queued but not yet delivered (before stop). */
export function drain(): void {
  if (observer) process(observer.takeRecords());
}

/** Drops queued records (a full snapshot is about to supersede them). */
export function discard(): void {
  if (observer) observer.takeRecords();
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
  if (!records.length) return;
  const added = new Set<Node>();
  const removed = new Set<number>();
  const removes: RemovedNodeMutation[] = [];
  const texts = new Set<Node>();
  const attrs = new Map<Element, Set<string>>();

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
          removes.push({ parentId, id });
        }
      }
    } else if (r.type === 'characterData') texts.add(t);
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
      for (let p = n.parentNode; p; p = p.parentNode) if (added.has(p)) return;
      roots.add(n);
    });
    const stack: Node[] = [];
    const ctxs: number[] = [];
    roots.forEach((root) => {
      if (!roots.has(root)) return; // already emitted as part of a run
      const parent = root.parentNode as Node;
      if (!getId(parent) || opaque.has(parent)) return;
      const ctx = contextOf(parent);
      // Extend to the right over adjacent added siblings, then pop them right to left.
      for (let s: Node | null = root; s && roots.has(s); s = s.nextSibling) {
        roots.delete(s);
        stack.push(s);
        ctxs.push(ctx);
      }
      while (stack.length) {
        const n = stack.pop() as Node;
        const c = ctxs.pop() as number;
        const node = serializeNode(n, c);
        if (!node) continue;
        const kc = kidsCtx;
        emitted.add(n);
        adds.push({ parentId: getId(n.parentNode), nextId: nextId(n), node });
        if (kc >= 0)
          for (let k = n.firstChild; k; k = k.nextSibling) {
            stack.push(k);
            ctxs.push(kc);
          }
      }
    });
  }

  const textOut: TextMutation[] = [];
  texts.forEach((t) => {
    const id = getId(t);
    if (!id || !t.isConnected || emitted.has(t)) return;
    const ctx = contextOf(t.parentNode);
    const v = (t as CharacterData).data;
    textOut.push({ id, value: ctx & Ctx.Style ? absCss(v) : textValue(v, ctx) });
  });

  const attrOut: AttributeMutation[] = [];
  attrs.forEach((names, el) => {
    const id = getId(el);
    if (!id || !el.isConnected || emitted.has(el) || blocked.has(el)) return;
    const tag = el.tagName.toLowerCase();
    const out: { [name: string]: string | null } = {};
    let any = false;
    if (tag === 'input' && names.has('type')) isPrivateField(el, 0); // remembers type=password
    names.forEach((name) => {
      let v = el.getAttribute(name);
      if (v !== null) {
        if (name === 'value' && (tag === 'input' || tag === 'textarea' || tag === 'select')) {
          v = fieldValue(el, contextOf(el));
          if (v === null) return; // private: the value attribute is never recorded
        } else v = attrValue(tag, name, v);
      }
      out[name] = v;
      any = true;
    });
    if (any) attrOut.push({ id, attributes: out });
  });

  if (adds.length || removes.length || textOut.length || attrOut.length)
    emit(data(textOut, attrOut, removes, adds));
}
