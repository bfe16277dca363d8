// Stylesheets changed through the CSSOM: insertRule/deleteRule/replace(Sync) become StyleSheetRule
// events, and constructed sheets adopted by a document or shadow root AdoptedStyleSheet events.

import {
  IncrementalSource,
  type AdoptedStyleSheetData,
  type IncrementalData,
  type StyleRule,
} from './schema';
import { getId } from './mirror';
import { patch, type Off } from './util';

let styleIds = new WeakMap<CSSStyleSheet, number>();
let sent = new WeakSet<CSSStyleSheet>();
let nextStyleId = 1;
let offs: Off[] = [];

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

export function start(emit: (data: IncrementalData) => void): void {
  styleIds = new WeakMap();
  resend();
  const change = (what: (args: any[]) => object) => (sheet: CSSStyleSheet, args: unknown[]) => {
    const id = getId(sheet.ownerNode);
    const styleId = styleIds.get(sheet);
    if (id || styleId)
      emit({
        source: IncrementalSource.StyleSheetRule,
        ...(id ? { id } : { styleId }),
        ...what(args),
      } as IncrementalData);
  };
  const adopt = (root: Document | ShadowRoot) => {
    const d = adopted(root, true);
    if (d) emit(d);
  };
  const S = CSSStyleSheet.prototype;
  offs = [
    patch(S, 'insertRule', change((a) => ({ adds: [{ rule: a[0], index: a[1] }] }))),
    patch(S, 'deleteRule', change((a) => ({ removes: [{ index: a[0] }] }))),
    patch(S, 'replaceSync', change((a) => ({ replace: a[0] }))),
    patch(S, 'replace', change((a) => ({ replace: a[0] }))),
    patch(Document.prototype, 'adoptedStyleSheets', adopt),
    patch(ShadowRoot.prototype, 'adoptedStyleSheets', adopt),
  ];
}

export function stop(): void {
  offs.forEach((off) => off());
  offs = [];
}
