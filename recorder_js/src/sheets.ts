// Stylesheets changed through the CSSOM, in every realm the recorder hooks (the top window and
// its same-origin frames): insertRule/deleteRule on sheets and on grouping rules (@media,
// @supports...; the index is then the rule's path), addRule/removeRule, replace(Sync) become
// StyleSheetRule events; setProperty/removeProperty on a rule's style StyleDeclaration events;
// constructed sheets adopted by a document or shadow root AdoptedStyleSheet events.

import {
  IncrementalSource,
  type AdoptedStyleSheetData,
  type IncrementalData,
  type StyleRule,
} from './schema.js';
import { getId } from './mirror.js';
import { patch, type Off } from './util.js';

type Emit = (data: IncrementalData) => void;
type Where = { id: number } | { styleId: number };

let styleIds = new WeakMap<CSSStyleSheet, number>();
let sent = new WeakSet<CSSStyleSheet>();
let nextStyleId = 1;
let emit: Emit | null = null;

/** Constructed sheets are sent again with the next full snapshot. */
export function resend(): void {
  sent = new WeakSet();
}

function rules(sheet: CSSStyleSheet): StyleRule[] {
  const out: StyleRule[] = [];
  const list = sheet.cssRules;
  for (let i = 0; i < list.length; i++) out.push({ rule: (list[i] as CSSRule).cssText, index: i });
  return out;
}

/** What `root` adopts (sheets not sent before go with their rules), or null for nothing new. */
export function adopted(root: Document | ShadowRoot, always?: boolean): AdoptedStyleSheetData | null {
  const list = root.adoptedStyleSheets;
  const id = getId(root);
  if (!id || !list || !(list.length || always)) return null;
  const d: AdoptedStyleSheetData = { source: IncrementalSource.AdoptedStyleSheet, id, styleIds: [] };
  const styles: { styleId: number; rules: StyleRule[] }[] = [];
  for (let i = 0; i < list.length; i++) {
    const sheet = list[i] as CSSStyleSheet;
    let styleId = styleIds.get(sheet);
    if (!styleId) styleIds.set(sheet, (styleId = nextStyleId++));
    if (!sent.has(sheet)) {
      sent.add(sheet);
      styles.push({ styleId, rules: rules(sheet) });
    }
    d.styleIds.push(styleId);
  }
  if (styles.length) d.styles = styles;
  return d;
}

/** The recorded sheet a rule change applies to: its <style>/<link>, or its constructed sheet's id. */
function where(sheet: CSSStyleSheet | null): Where | null {
  const id = sheet && getId(sheet.ownerNode);
  const styleId = sheet && styleIds.get(sheet);
  return id ? { id } : styleId ? { styleId } : null;
}

/** Where `rule` is: its index in its sheet, then in each enclosing rule down to it. */
function path(rule: CSSRule): number[] {
  const out: number[] = [];
  for (let r: CSSRule | null = rule; r; r = r.parentRule) {
    const list = r.parentRule ? (r.parentRule as CSSGroupingRule).cssRules : (r.parentStyleSheet as CSSStyleSheet).cssRules;
    out.unshift(Array.prototype.indexOf.call(list, r));
  }
  return out;
}

function sheetOf(rule: CSSRule): CSSStyleSheet | null {
  while (rule.parentRule) rule = rule.parentRule;
  return rule.parentStyleSheet;
}

function send(source: IncrementalSource, sheet: CSSStyleSheet | null, change: object): void {
  const w = emit && where(sheet);
  if (w) (emit as Emit)({ source, ...w, ...change } as IncrementalData);
}

const ruleChange = (sheet: CSSStyleSheet | null, change: object) =>
  send(IncrementalSource.StyleSheetRule, sheet, change);

/** A property set or removed on a stylesheet rule's style (an element's own style is an attribute). */
function declared(style: CSSStyleDeclaration, change: object): void {
  const rule = style.parentRule;
  if (rule) send(IncrementalSource.StyleDeclaration, sheetOf(rule), { index: path(rule), ...change });
}

/** Sends what the page changed before, so that a shadow root exists before what it adopts. */
let before: () => void = () => {};

function adopt(root: Document | ShadowRoot): void {
  before();
  const d = emit && adopted(root, true);
  if (d) (emit as Emit)(d);
}

/** Wraps the stylesheet methods of one realm (window or same-origin frame); returns the restorers. */
export function patches(win: typeof window): Off[] {
  const S = win.CSSStyleSheet.prototype;
  const G = win.CSSGroupingRule && win.CSSGroupingRule.prototype;
  const D = win.CSSStyleDeclaration.prototype;
  const offs = [
    patch(S, 'insertRule', (sheet, a, index) => ruleChange(sheet, { adds: [{ rule: a[0], index }] })),
    patch(S, 'deleteRule', (sheet, a) => ruleChange(sheet, { removes: [{ index: a[0] }] })),
    patch(S, 'addRule', (sheet: CSSStyleSheet, a) => {
      const index = a[2] == null ? sheet.cssRules.length - 1 : +a[2];
      ruleChange(sheet, { adds: [{ rule: (sheet.cssRules[index] as CSSRule).cssText, index }] });
    }),
    patch(S, 'removeRule', (sheet, a) => ruleChange(sheet, { removes: [{ index: +(a[0] || 0) }] })),
    patch(S, 'replaceSync', (sheet, a) => ruleChange(sheet, { replace: a[0] })),
    patch(S, 'replace', (sheet, a) => ruleChange(sheet, { replace: a[0] })),
    patch(D, 'setProperty', (style, a) =>
      declared(style, { set: { property: a[0], value: a[1], priority: a[2] } }),
    ),
    patch(D, 'removeProperty', (style, a) => declared(style, { remove: { property: a[0] } })),
    patch(win.Document.prototype, 'adoptedStyleSheets', adopt),
    patch(win.ShadowRoot.prototype, 'adoptedStyleSheets', adopt),
  ];
  if (G)
    offs.push(
      patch(G, 'insertRule', (rule, a, index) =>
        ruleChange(sheetOf(rule), { adds: [{ rule: a[0], index: path(rule).concat(index) }] }),
      ),
      patch(G, 'deleteRule', (rule, a) =>
        ruleChange(sheetOf(rule), { removes: [{ index: path(rule).concat(+a[0]) }] }),
      ),
    );
  return offs;
}

/**
 * From now on, changes go to `fn`, and `drain` (pending DOM changes) runs before any adoption;
 * constructed sheets get ids from 1 again.
 */
export function start(fn: Emit, drain: () => void): void {
  emit = fn;
  before = drain;
  styleIds = new WeakMap();
  nextStyleId = 1;
  resend();
}

export function stop(): void {
  emit = null;
}
