// Full snapshot in one pass over the DOM, and the per-node serializer that mutations reuse.
// No getComputedStyle and no layout reads, except the size of blocked elements.

import {
  NodeType,
  type Attributes,
  type ElementNode,
  type FullSnapshotData,
  type SerializedNodeWithId,
} from './schema.js';
import { alias, assignId, getId, hideInside } from './mirror.js';
import {
  Ctx,
  attrFlag,
  dropAttr,
  fieldValue,
  ignoredEditable,
  isPrivateField,
  keepLayout,
  maskAttributes,
  selectorFlags,
  textValue,
} from './privacy.js';
import { noteScrolled, wasScrolled, watchScrolls, watchTypes } from './remember.js';
import { meet as meetRoot } from './roots.js';
import { absCss, attrValue, setBase } from './absolute.js';
import { classifyingMany, type LabelIndex } from './classify.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const HTML_NS = 'http://www.w3.org/1999/xhtml';

let rootId = 0;
/** Which elements' scroll offsets the node being serialized reads. */
const enum Reads {
  /** None: a node a mutation just added has not been scrolled yet (later scrolls are events). */
  None,
  /** Those a scroll event came from: the tree's scroll events are watched (remember.ts). */
  Scrolled,
  /** All: the tree was not watched; it is from now on. */
  All,
}
let readScroll = Reads.None;

function readsIn(tree: Document | ShadowRoot): Reads {
  return watchScrolls(tree) ? Reads.Scrolled : Reads.All;
}

/** A serialized node (without its children) and the context its children are serialized with,
 * -1 when they are not recorded. */
export type Serialized = [node: SerializedNodeWithId, kids: number];

/**
 * Reads the base URL of `doc` once per snapshot / mutation run; nodes serialized next belong to
 * `doc` (their rootId is its id when it is a frame's document, as rrweb does).
 */
export function refreshBase(doc: Document = document): void {
  rootId = doc === document ? 0 : getId(doc);
  setBase(doc);
}

/** Shadow roots and frame documents met: type changes watched at once, the rest once attached. */
function meet(root: Document | ShadowRoot): void {
  watchTypes(root);
  meetRoot(root);
}

/** The text of a readable stylesheet with @import rules replaced by what they import, or null. */
export function sheetText(sheet: CSSStyleSheet | null): string | null {
  if (!sheet) return null;
  try {
    const rules = sheet.cssRules;
    let t = '';
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i] as CSSImportRule;
      const inner = r.styleSheet && sheetText(r.styleSheet);
      t += inner != null ? inner : absCss(r.cssText, sheet.href || undefined);
    }
    return t;
  } catch {
    return null;
  }
}

let linkHook: ((link: HTMLLinkElement, css?: string) => void) | null = null;
/**
 * Called (once per link) when a stylesheet link that was not loaded at serialization loads, and
 * with the sheet's source text when its rules serialize lossily (see below).
 */
export function onStylesheetLoad(fn: ((link: HTMLLinkElement, css?: string) => void) | null): void {
  linkHook = fn;
}
function linkLoaded(e: Event): void {
  if (linkHook) linkHook(e.target as HTMLLinkElement);
}

/**
 * Chromium serializes a shorthand holding var() that a later longhand overrides as empty
 * longhands ("border-right-color: ;"), losing them. For such a sheet the source text is fetched
 * (from the HTTP cache, normally) and sent as a _cssText update, @import rules inlined.
 */
function refetch(link: HTMLLinkElement): void {
  const sheet = link.sheet as CSSStyleSheet;
  const href = link.href;
  fetch(href)
    .then((r) => r.text())
    .then((text) => {
      let i = 0;
      text = text.replace(/@import[^;]*;/g, (m) => {
        const r = sheet.cssRules[i++] as CSSImportRule;
        const inner = r && r.styleSheet && sheetText(r.styleSheet);
        return inner != null ? inner : m;
      });
      if (linkHook) linkHook(link, absCss(text, href));
    })
    .catch(() => {});
}

/** How an open <dialog> was opened, as rrweb's replayer reads it to reopen it the same way. */
export function openMode(dialog: Element): string {
  try {
    return dialog.matches(':modal') ? 'modal' : 'non-modal';
  } catch {
    return 'non-modal'; // no :modal in this engine
  }
}

/** True for a custom element whose name is defined in its own window. */
function isDefined(el: Element, tag: string): boolean {
  const win = (el.ownerDocument as Document).defaultView;
  return !!(win && win.customElements && win.customElements.get(tag));
}

function element(el: Element, ctx: number): Serialized {
  const id = assignId(el);
  const tag = el.namespaceURI === HTML_NS ? el.localName : el.tagName.toLowerCase();
  const attributes: Attributes = {};
  let flags = (ctx & (Ctx.Mask | Ctx.Ignore)) | selectorFlags(el);
  const list = el.attributes;
  for (let i = 0; i < list.length; i++) {
    const a = list[i] as Attr;
    const name = a.name;
    if (name.startsWith('data-st-')) flags |= attrFlag(name);
    if (!dropAttr(el, name, a.value)) attributes[name] = attrValue(tag, name, a.value);
  }
  maskAttributes(attributes, flags);
  const sn: ElementNode & { id: number } = {
    type: NodeType.Element,
    tagName: tag,
    attributes,
    childNodes: [],
    id,
  };
  if (el.namespaceURI === SVG_NS) sn.isSVG = true;
  else if (tag.indexOf('-') > 0 && isDefined(el, tag)) sn.isCustom = true;

  if (flags & Ctx.Block) {
    // An empty box of the same size: class and id for layout, no children, no other attributes.
    hideInside(el, true);
    const r = el.getBoundingClientRect();
    const box: Attributes = { rr_width: r.width + 'px', rr_height: r.height + 'px' };
    if (attributes.class != null) box.class = attributes.class;
    if (attributes.id != null) box.id = attributes.id;
    sn.attributes = box;
    return [sn, -1];
  }
  if (ignoredEditable(el, ctx, flags)) {
    hideInside(el); // typed text, like a field's value: not recorded
    keepLayout(attributes);
    return [sn, -1];
  }
  switch (tag) {
    case 'script':
      hideInside(el); // scripts are never serialized: the element stays, its text does not
      return [sn, -1];
    case 'link':
      if (/stylesheet/i.test(String(attributes.rel))) {
        const sheet = (el as HTMLLinkElement).sheet;
        const css = sheetText(sheet);
        if (css != null) {
          delete attributes.rel;
          delete attributes.href;
          attributes._cssText = css;
          if (css.indexOf(': ;') >= 0) refetch(el as HTMLLinkElement);
        } else if (!sheet) el.addEventListener('load', linkLoaded, { once: true });
      }
      break;
    case 'input':
    case 'textarea':
    case 'select': {
      const type = (el as HTMLInputElement).type;
      const value = fieldValue(el, flags);
      if (value === null) {
        keepLayout(attributes);
        if (tag === 'textarea') hideInside(el);
        if (tag !== 'select') return [sn, -1];
      } else if (type === 'checkbox' || type === 'radio') {
        if ((el as HTMLInputElement).checked) attributes.checked = true;
        else delete attributes.checked;
      } else if (type !== 'submit' && type !== 'button' && type !== 'reset' && type !== 'image') {
        attributes.value = value;
        if (tag === 'textarea') {
          hideInside(el); // the replayer rebuilds textarea text from `value`
          return [sn, -1];
        }
      }
      break;
    }
    case 'option': {
      const select = el.closest('select');
      if (select && isPrivateField(select, flags)) keepLayout(attributes);
      else if ((el as HTMLOptionElement).selected) attributes.selected = true;
      else delete attributes.selected;
      break;
    }
    case 'style': {
      // The sheet as it applies: its text, rules inserted by script, @import inlined. Where
      // Chromium serializes a var() shorthand lossily (': ;', see refetch) the text is kept.
      const css = sheetText((el as HTMLStyleElement).sheet);
      if (css != null && (css.indexOf(': ;') < 0 || !(el.textContent as string).trim())) {
        attributes._cssText = css;
        hideInside(el);
        return [sn, -1];
      }
      break;
    }
    case 'dialog':
      if (attributes.open != null) attributes.rr_open_mode = openMode(el);
      break;
    case 'audio':
    case 'video':
      attributes.rr_mediaState = (el as HTMLMediaElement).paused ? 'paused' : 'played';
      attributes.rr_mediaCurrentTime = (el as HTMLMediaElement).currentTime;
      break;
    case 'iframe':
      // The replayer must not load live pages: keep the address as rr_src, as rrweb does.
      if (attributes.src != null) {
        attributes.rr_src = attributes.src;
        delete attributes.src;
      }
      try {
        const doc = (el as HTMLIFrameElement).contentDocument;
        if (doc) meet(doc); // same origin: its document follows the snapshot (isAttachIframe)
      } catch {
        /* cross-origin */
      }
  }
  // An element with no children has nothing to scroll: its offsets are not worth a read.
  if (readScroll && (el.firstChild || el.shadowRoot) && (readScroll === Reads.All || wasScrolled(el))) {
    const top = el.scrollTop;
    const left = el.scrollLeft;
    if (top) attributes.rr_scrollTop = top;
    if (left) attributes.rr_scrollLeft = left;
    if (top || left) noteScrolled(el);
  }
  const shadow = el.shadowRoot;
  if (shadow) {
    sn.isShadowHost = true;
    alias(shadow, id);
    meet(shadow);
  }
  return [sn, (flags & (Ctx.Mask | Ctx.Ignore)) | (tag === 'style' ? Ctx.Style : 0)];
}

/** One node without its children (childNodes: []), or null for nodes we never record. */
export function serializeNode(n: Node, ctx: number): Serialized | null {
  const s = one(n, ctx);
  if (s && rootId) s[0].rootId = rootId;
  return s;
}

function one(n: Node, ctx: number): Serialized | null {
  switch (n.nodeType) {
    case 1:
      return element(n as Element, ctx);
    case 3: {
      const text = (n as Text).data;
      return ctx & Ctx.Style
        ? [{ type: NodeType.Text, textContent: absCss(text), isStyle: true, id: assignId(n) }, -1]
        : [{ type: NodeType.Text, textContent: textValue(text, ctx), id: assignId(n) }, -1];
    }
    case 8:
      return [{ type: NodeType.Comment, textContent: textValue((n as Comment).data, ctx), id: assignId(n) }, -1];
    case 4:
      return [{ type: NodeType.CDATA, textContent: '', id: assignId(n) }, -1];
    case 9:
      return [
        { type: NodeType.Document, childNodes: [], compatMode: (n as Document).compatMode, id: assignId(n) },
        ctx,
      ];
    case 10: {
      const d = n as DocumentType;
      const id = assignId(n);
      return [{ type: NodeType.DocumentType, name: d.name, publicId: d.publicId, systemId: d.systemId, id }, -1];
    }
  }
  return null;
}

interface Frame {
  /** The node whose children are visited: an element, the document, or a shadow root. */
  parent: Node;
  kids: SerializedNodeWithId[];
  ctx: number;
  /** The child visited last, to resume after (null: none yet). */
  last: Node | null;
  /** An element whose open shadow root is visited after its light children. */
  host: Element | null;
  /** Which scroll offsets its children read: set per tree (document or shadow root). */
  reads: Reads;
}

/** The frame that visits the children of `n`, which serializeNode() has just turned into `sn`. */
function childrenOf(n: Node, sn: ElementNode, ctx: number, reads: Reads): Frame {
  const kids = sn.childNodes as SerializedNodeWithId[];
  return { parent: n, kids, ctx, last: null, host: sn.isShadowHost ? (n as Element) : null, reads };
}

/**
 * Serializes the document `root` and everything under it, shadow roots included (their children marked
 * isShadow), in slices: each call of the returned function walks until `performance.now()`
 * passes `until`, then returns null (call it again in a later task), or the finished tree.
 * Between slices the page may change the DOM: nodes it adds are left to `skip` (the Mutation
 * emitted after the snapshot adds them), nodes it removes are not visited, and a frame whose
 * last visited child moved away starts over, passing what it has.
 */
export function walkInSlices(
  root: Document,
  ctx: number,
  skip: (n: Node) => boolean,
): (until: number) => SerializedNodeWithId | null {
  refreshBase(root);
  const first = serializeNode(root, ctx);
  const top = first && first[0];
  const stack: Frame[] = [];
  if (first && first[1] >= 0) stack.push(childrenOf(root, first[0] as ElementNode, first[1], readsIn(root)));
  const labels: LabelIndex = new WeakMap();
  return (until) => classifyingMany(() => slice(until), labels);
  function slice(until: number): SerializedNodeWithId | null {
    refreshBase(root);
    try {
      for (let n = 0; stack.length; ) {
        if (!(++n & 63) && performance.now() > until) return null;
        const f = stack[stack.length - 1] as Frame;
        const parent = f.parent;
        let k: Node | null;
        if (!f.last) k = parent.firstChild;
        else if (f.last.parentNode === parent && !skip(f.last)) k = f.last.nextSibling;
        else {
          // The child visited last went or moved (maybe within this parent) since the last
          // slice: start over, passing what this frame has already.
          const have = new Set(f.kids.map((c) => c.id));
          for (k = parent.firstChild; k && (have.has(getId(k)) || skip(k)); ) k = k.nextSibling;
        }
        while (k && skip(k)) k = k.nextSibling;
        if (!k) {
          stack.pop();
          const shadow = f.host && f.host.shadowRoot;
          if (shadow)
            stack.push({ parent: shadow, kids: f.kids, ctx: f.ctx, last: null, host: null, reads: readsIn(shadow) });
          continue;
        }
        f.last = k;
        readScroll = f.reads;
        const s = serializeNode(k, f.ctx);
        if (!s) continue;
        const sn = s[0] as ElementNode & { id: number };
        if (parent.nodeType === 11) sn.isShadow = true;
        f.kids.push(sn);
        if (s[1] >= 0) stack.push(childrenOf(k, sn, s[1], f.reads));
      }
      return top;
    } finally {
      readScroll = Reads.None;
      refreshBase();
    }
  }
}

/** `n` and everything under it, in one go. */
export function walk(doc: Document, ctx: number): SerializedNodeWithId | null {
  return walkInSlices(doc, ctx, () => false)(Infinity);
}

/** The FullSnapshot of the document, in slices (see walkInSlices). */
export function snapshotInSlices(skip: (n: Node) => boolean): (until: number) => FullSnapshotData | null {
  meetRoot(document); // watched, and its adopted stylesheets sent, once the snapshot is out
  const initialOffset = { left: window.scrollX, top: window.scrollY };
  const step = walkInSlices(document, 0, skip);
  return (until) => {
    const node = step(until);
    return node && { node, initialOffset };
  };
}
